package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Seed 000's masked total variation {@code Σ M(x,y) · (ΔI)²} (as means, so the weight does not
 * depend on the size). The detail mask M is low on real edges and high on noise and flat areas.
 *
 * <p>How the mask tells edges from noise: blurring removes pixel noise but keeps the step of a
 * real edge, so the gradient magnitude of the blurred picture is large only on edges. M = 1 − that
 * magnitude relative to its maximum, floored at {@link #MIN_MASK}. The mask is computed from the
 * current picture without gradient (it says where to smooth, it is not itself optimized).
 */
public final class MaskedTotalVariation {

    /** Even the strongest edge keeps a little smoothing, so edges cannot fill up with noise. */
    public static final float MIN_MASK = 0.05f;

    private MaskedTotalVariation() {
    }

    /**
     * @param image {@code [B, C, H, W]}
     * @param mask {@code [1, 1, H, W]} or {@code [B, 1, H, W]}: weight of the difference that starts at each pixel
     * @return scalar mean(M·dx²) + mean(M·dy²)
     */
    public static NDArray loss(NDArray image, NDArray mask) {
        NDArray mx = mask.get(new NDIndex(":, :, :, :-1"));
        NDArray my = mask.get(new NDIndex(":, :, :-1, :"));
        NDArray h = TotalVariation.dx(image).square().mul(mx);
        NDArray v = TotalVariation.dy(image).square().mul(my);
        return h.mean().add(v.mean());
    }

    /** The detail mask of a picture, as an array {@code [1, 1, H, W]} in {@code manager}. */
    public static NDArray mask(NDManager manager, float[] rgb, int height, int width) {
        return manager.create(detailMask(rgb, height, width), new Shape(1, 1, height, width));
    }

    /**
     * @param rgb {@code [3, H, W]} values
     * @return {@code [H, W]} mask values in [MIN_MASK, 1]
     */
    public static float[] detailMask(float[] rgb, int height, int width) {
        int plane = height * width;
        float[] grey = new float[plane];
        for (int i = 0; i < plane; i++) {
            grey[i] = (rgb[i] + rgb[plane + i] + rgb[2 * plane + i]) / 3f;
        }
        float[] blurred = boxBlur3(grey, height, width);
        float[] edge = new float[plane];
        float max = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float gx = blurred[y * width + Math.min(width - 1, x + 1)] - blurred[y * width + Math.max(0, x - 1)];
                float gy = blurred[Math.min(height - 1, y + 1) * width + x] - blurred[Math.max(0, y - 1) * width + x];
                float e = (float) Math.sqrt(gx * gx + gy * gy);
                edge[y * width + x] = e;
                max = Math.max(max, e);
            }
        }
        float[] mask = new float[plane];
        for (int i = 0; i < plane; i++) {
            float m = max > 1e-6f ? 1f - edge[i] / max : 1f;
            mask[i] = Math.max(MIN_MASK, m);
        }
        return mask;
    }

    /** 3×3 mean with edge pixels repeated. */
    static float[] boxBlur3(float[] v, int height, int width) {
        float[] out = new float[v.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float s = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    int yy = Math.min(height - 1, Math.max(0, y + dy));
                    for (int dx = -1; dx <= 1; dx++) {
                        int xx = Math.min(width - 1, Math.max(0, x + dx));
                        s += v[yy * width + xx];
                    }
                }
                out[y * width + x] = s / 9f;
            }
        }
        return out;
    }
}
