package dev.dreamoven.render;

import java.util.Objects;

/**
 * A finished render.
 *
 * @param png the upscaled picture to post
 * @param mode "normal", "microwave" or "auto-microwave" (a bake reports "bake")
 * @param modeDetail e.g. "from 'a red circle' and 'a blue square'"; may be empty
 * @param similarity CLIP similarity of the final picture and the prompt
 * @param seed the seed actually used
 * @param seconds wall time of the render
 * @param model the model (or ensemble) that guided, e.g. "ViT-B-32+RN50:0.5"; empty when not told
 *     (an outcome stored before this field existed reads back with it empty)
 */
public record RenderOutcome(byte[] png, String mode, String modeDetail, double similarity, long seed, double seconds,
        String model) {
    public RenderOutcome {
        Objects.requireNonNull(png, "png");
        mode = mode == null ? "normal" : mode;
        modeDetail = modeDetail == null ? "" : modeDetail;
        model = model == null ? "" : model;
    }

    /** An outcome that does not name its model. */
    public RenderOutcome(byte[] png, String mode, String modeDetail, double similarity, long seed, double seconds) {
        this(png, mode, modeDetail, similarity, seed, seconds, "");
    }

    /** The same outcome without its picture, for storing next to the PNG file. */
    public RenderOutcome withPng(byte[] other) {
        return new RenderOutcome(other, mode, modeDetail, similarity, seed, seconds, model);
    }
}
