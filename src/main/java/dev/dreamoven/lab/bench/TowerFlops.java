package dev.dreamoven.lab.bench;

import dev.dreamoven.clip.ClipConfig;
import dev.dreamoven.clip.ImageTower;

/**
 * Floating-point operations of the CLIP image towers, counted analytically from a {@link ClipConfig}:
 * one multiply-add = 2 FLOPs, over the matrix products and convolutions only (layer norms,
 * BatchNorm, activations, softmax, pooling and the cut-out resampling are left out: they are the
 * overhead the count is meant to expose). A dream step runs the image tower forward on every view
 * and backward to the pixels only (the weights are frozen), which costs about one more forward:
 * {@link #dreamStepFlopsPerImage} is 2 × {@link #imageForward}.
 */
public final class TowerFlops {

    private TowerFlops() {
    }

    /** FLOPs of one image through the image tower, ViT or ModifiedResNet. */
    public static double imageForward(ClipConfig c) {
        return 2 * (c.vision() instanceof ImageTower.ResNet r
                ? resNetMultiplyAdds(r, c.imageResolution(), c.embedDim())
                : vitMultiplyAdds(c));
    }

    /** FLOPs one view costs a dream step: the forward and the backward to the pixels. */
    public static double dreamStepFlopsPerImage(ClipConfig c) {
        return 2 * imageForward(c);
    }

    /**
     * ViT: the patch embedding (G² patches of 3P² values to W), per block over T = G² + 1 tokens
     * the qkv (3TW²), scores and weighted sum (2T²W), output (TW²) and MLP (8TW²) products, and the
     * final projection of the class token (WD).
     */
    static double vitMultiplyAdds(ClipConfig c) {
        ImageTower.Vit v = c.vit();
        double patches = Math.pow(v.gridSize(c.imageResolution()), 2);
        double t = patches + 1;
        double w = v.width();
        double patchIn = 3.0 * v.patchSize() * v.patchSize();
        double perBlock = 12 * t * w * w + 2 * t * t * w;
        return patches * patchIn * w + v.layers() * perBlock + w * c.embedDim();
    }

    /**
     * ModifiedResNet at side R: the stem's three 3×3 convolutions at R/2 (3 → w/2 with stride 2,
     * w/2 → w/2, w/2 → w), an average pool to R/4; per bottleneck at side H with stride s, 1×1 in →
     * p and 3×3 p → p at H, then (after the pool) 1×1 p → 4p and, where the shortcut needs it, 1×1
     * in → 4p at H/s; the attention pool's k and v over G² + 1 tokens, q of the mean token, scores
     * and sum, and the output projection (E = 32w).
     */
    static double resNetMultiplyAdds(ImageTower.ResNet r, int resolution, int embedDim) {
        double w = r.width();
        double side = resolution / 2.0;
        double macs = side * side * 9 * (3 * (w / 2) + (w / 2) * (w / 2) + (w / 2) * w);
        side /= 2;
        double inplanes = w;
        for (int stage = 0; stage < 4; stage++) {
            double planes = w * (1 << stage);
            double out = planes * ImageTower.ResNet.EXPANSION;
            for (int b = 0; b < r.layers().get(stage); b++) {
                int stride = b == 0 && stage > 0 ? 2 : 1;
                double after = side / stride;
                macs += side * side * (inplanes * planes + 9 * planes * planes);
                macs += after * after * planes * out;
                if (stride > 1 || inplanes != out) {
                    macs += after * after * inplanes * out;
                }
                inplanes = out;
                side = after;
            }
        }
        double e = r.poolWidth();
        double tokens = side * side + 1;
        macs += 2 * tokens * e * e + e * e + 2 * tokens * e + e * embedDim;
        return macs;
    }
}
