package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ScalarOps;

/**
 * AdamW (Loshchilov & Hutter): Adam plus a decay that bypasses the moments,
 * {@code p −= lr · wd · (p − anchor)} before the Adam step. For pixels the decay pulls toward the
 * octave's starting picture (not toward black): with octaves that keeps the coarse composition.
 */
public final class AdamW implements PixelOptimizer {

    private final Adam adam;
    private final double weightDecay;

    public AdamW(NDManager parent, double beta1, double beta2, double epsilon, double weightDecay) {
        this.adam = new Adam(parent, beta1, beta2, epsilon, 0);
        this.weightDecay = weightDecay;
    }

    @Override
    public void step(NDArray param, NDArray grad, double lr, NDArray anchor) {
        if (weightDecay > 0) {
            param.subi(ScalarOps.mul(param.sub(anchor), lr * weightDecay));
        }
        adam.step(param, grad, lr, anchor);
    }

    @Override
    public void reset() {
        adam.reset();
    }

    @Override
    public int stepsSinceReset() {
        return adam.stepsSinceReset();
    }

    @Override
    public void close() {
        adam.close();
    }
}
