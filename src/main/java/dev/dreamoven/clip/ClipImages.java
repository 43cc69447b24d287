package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** OpenAI CLIP's pixel normalization. Results live in the input's manager and keep its gradient path. */
public final class ClipImages {

    private static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private ClipImages() {
    }

    public static float[] mean() {
        return MEAN.clone();
    }

    public static float[] std() {
        return STD.clone();
    }

    /** @param rgb {@code [N, 3, H, W]} in 0..1 → {@code (rgb - mean) / std} per channel */
    public static NDArray normalize(NDArray rgb) {
        checkShape(rgb);
        NDManager m = rgb.getManager();
        return rgb.sub(m.create(MEAN, new Shape(1, 3, 1, 1))).div(m.create(STD, new Shape(1, 3, 1, 1)));
    }

    /** The inverse of {@link #normalize}: CLIP-normalized {@code [N, 3, H, W]} → 0..1 (not clipped). */
    public static NDArray denormalize(NDArray normalized) {
        checkShape(normalized);
        NDManager m = normalized.getManager();
        return normalized.mul(m.create(STD, new Shape(1, 3, 1, 1))).add(m.create(MEAN, new Shape(1, 3, 1, 1)));
    }

    private static void checkShape(NDArray a) {
        Shape s = a.getShape();
        if (s.dimension() != 4 || s.get(1) != 3) {
            throw new IllegalArgumentException("expected images [N, 3, H, W], got " + s);
        }
    }
}
