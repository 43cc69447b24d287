package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.dreamoven.clip.ScalarOps;

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
        NDArray h = dx(image).square().mul(mx);
        NDArray v = dy(image).square().mul(my);
        return h.mean().add(v.mean());
    }

    /** {@code [B, C, H, W]} → horizontal differences {@code [B, C, H, W−1]} (right minus left). */
    static NDArray dx(NDArray image) {
        return image.get(new NDIndex(":, :, :, 1:")).sub(image.get(new NDIndex(":, :, :, :-1")));
    }

    /** {@code [B, C, H, W]} → vertical differences {@code [B, C, H−1, W]} (below minus above). */
    static NDArray dy(NDArray image) {
        return image.get(new NDIndex(":, :, 1:, :")).sub(image.get(new NDIndex(":, :, :-1, :")));
    }

    /**
     * The detail mask of a picture, computed with array operations (no gradient), the same values
     * as {@link #detailMask}.
     *
     * @param image {@code [1, 3, H, W]}
     * @return {@code [1, 1, H, W]} in the image's manager
     */
    public static NDArray mask(NDArray image) {
        NDArray grey = image.stopGradient().mean(new int[] {1}, true); // [1, 1, H, W]
        int h = (int) grey.getShape().get(2);
        int w = (int) grey.getShape().get(3);
        NDArray padded = replicatePad(grey); // [1, 1, H+2, W+2]
        NDArray sum = null;
        for (int dy = 0; dy <= 2; dy++) {
            for (int dx = 0; dx <= 2; dx++) {
                NDArray part = padded.get(new NDIndex(":, :, {}:{}, {}:{}", dy, dy + h, dx, dx + w));
                sum = sum == null ? part : sum.add(part);
            }
        }
        NDArray blurred = replicatePad(ScalarOps.div(sum, 9));
        NDArray gx = blurred.get(new NDIndex(":, :, 1:{}, 2:{}", h + 1, w + 2))
                .sub(blurred.get(new NDIndex(":, :, 1:{}, 0:{}", h + 1, w)));
        NDArray gy = blurred.get(new NDIndex(":, :, 2:{}, 1:{}", h + 2, w + 1))
                .sub(blurred.get(new NDIndex(":, :, 0:{}, 1:{}", h, w + 1)));
        NDArray edge = gx.square().add(gy.square()).sqrt();
        NDArray max = ScalarOps.max(edge.max(), 1e-6f);
        return edge.div(max).neg().add(1f).clip(MIN_MASK, 1f);
    }

    /** {@code [B, C, H, W] → [B, C, H+2, W+2]} with the border pixels repeated. */
    private static NDArray replicatePad(NDArray a) {
        NDArray cols = a.get(new NDIndex(":, :, :, :1")).concat(a, 3).concat(a.get(new NDIndex(":, :, :, -1:")), 3);
        return cols.get(new NDIndex(":, :, :1, :")).concat(cols, 2).concat(cols.get(new NDIndex(":, :, -1:, :")), 2);
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
