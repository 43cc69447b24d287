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
 */
public record RenderOutcome(byte[] png, String mode, String modeDetail, double similarity, long seed, double seconds) {
    public RenderOutcome {
        Objects.requireNonNull(png, "png");
        mode = mode == null ? "normal" : mode;
        modeDetail = modeDetail == null ? "" : modeDetail;
    }

    /** The same outcome without its picture, for storing next to the PNG file. */
    public RenderOutcome withPng(byte[] other) {
        return new RenderOutcome(other, mode, modeDetail, similarity, seed, seconds);
    }
}
