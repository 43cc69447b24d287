package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;

/**
 * A CLIP model: a frozen image tower and text tower that map pixels and tokens into one embedding
 * space. Implementations build their result arrays in the input array's manager, so a caller that
 * opens an {@code NDManager} scope per optimization step frees everything a step allocated by
 * closing that scope. Gradients flow from the returned embeddings back to the input pixels.
 */
public interface ClipModel extends AutoCloseable {

    /** Identifies the weights (e.g. "shapes", "ViT-B-32", a file hash); baked paths are tied to it. */
    String id();

    ClipConfig config();

    /** Side length of the square image the vision tower takes. */
    default int imageResolution() {
        return config().imageResolution();
    }

    /** Width of the joint embedding space. */
    default int embedDim() {
        return config().embedDim();
    }

    /**
     * Colours the model's makers recommend drawing with (0xRRGGBB), e.g. the eight colours of the
     * world the shipped model was trained on; empty when the checkpoint names none.
     */
    default java.util.List<Integer> palette() {
        return java.util.List.of();
    }

    /**
     * The device the weights live on; callers make the arrays they hand to this model there
     * (see {@link TorchDevice}).
     */
    ai.djl.Device device();

    /** What the towers compute their products in ({@link TowerPrecision#FLOAT32} unless on a GPU). */
    default TowerPrecision precision() {
        return TowerPrecision.FLOAT32;
    }

    /** @param pixels CLIP-normalized images, {@code [N, 3, R, R]} float32 → {@code [N, D]}, not normalized */
    NDArray encodeImage(NDArray pixels);

    /** @param tokens token ids {@code [N, context]} (int32 or int64) → {@code [N, D]}, not normalized */
    NDArray encodeText(NDArray tokens);

    @Override
    void close();
}
