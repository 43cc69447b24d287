package dev.dreamoven.dream;

import java.util.List;
import java.util.Objects;

/**
 * What somebody asked for: the same record comes from the command line, from Discord, and from a
 * 🔁 rerun. Values of 0 / null mean "the preset's or the configuration's default".
 *
 * @param prompt what to dream, never blank
 * @param negatives prompts to steer away from
 * @param size picture side in pixels (16-256), 0 for the default
 * @param steps optimization steps, 0 for the preset's
 * @param seed the random seed; same seed and settings give the same picture
 * @param preset draft, normal or best; null for the configured default
 * @param palette none, pico8, gameboy, nes or a comma list of hex colours; null for the default
 * @param scale nearest-neighbour upscale of the output, 0 for the default
 * @param mode how to use the baked paths
 */
public record DreamRequest(
        String prompt,
        List<String> negatives,
        int size,
        int steps,
        long seed,
        String preset,
        String palette,
        int scale,
        Mode mode) {

    /** How the render uses the baked-path store. */
    public enum Mode {
        /** Microwave an exact baked match, auto-microwave a close one, else dream normally. */
        AUTO,
        /** Always optimize normally. */
        NORMAL,
        /** Replay the baked path of exactly this prompt; fails if there is none. */
        MICROWAVE
    }

    public DreamRequest {
        Objects.requireNonNull(prompt, "prompt");
        negatives = negatives == null ? List.of() : List.copyOf(negatives);
        mode = mode == null ? Mode.AUTO : mode;
    }

    public static DreamRequest of(String prompt, long seed) {
        return new DreamRequest(prompt, List.of(), 0, 0, seed, null, null, 0, Mode.AUTO);
    }

    public DreamRequest withSeed(long newSeed) {
        return new DreamRequest(prompt, negatives, size, steps, newSeed, preset, palette, scale, mode);
    }

    public DreamRequest withPrompt(String newPrompt) {
        return newPrompt.equals(prompt) ? this
                : new DreamRequest(newPrompt, negatives, size, steps, seed, preset, palette, scale, mode);
    }
}
