package dev.dreamoven.testing;

import ai.djl.ndarray.NDArray;
import dev.dreamoven.clip.ClipModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A CLIP model that, after every encoding, runs the garbage collector and refills freshly freed
 * native memory with a loud value. That happens between a step's forward pass and its backward pass,
 * so a graph still pointing into a Java buffer that was already freed computes a different gradient
 * instead of passing by luck (see {@code ScalarOps}).
 */
public final class GarbageCollectingClip extends DelegatingClip {

    public GarbageCollectingClip(ClipModel model) {
        super(model);
    }

    @Override
    public NDArray encodeImage(NDArray pixels) {
        NDArray out = model.encodeImage(pixels);
        collectAndReuse();
        return out;
    }

    @Override
    public NDArray encodeText(NDArray tokens) {
        NDArray out = model.encodeText(tokens);
        collectAndReuse();
        return out;
    }

    /** Frees unreachable direct buffers, then fills new small ones with 1e30. */
    public static void collectAndReuse() {
        System.gc();
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 + 4 * (i % 8)).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 4) {
                b.putFloat(1e30f);
            }
        }
    }
}
