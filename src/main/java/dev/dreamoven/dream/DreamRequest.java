package dev.dreamoven.dream;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.image.Palette;
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

    /** Longest prompt (and negative prompt) any transport takes, in characters. */
    public static final int MAX_PROMPT = 300;
    public static final int MIN_STEPS = 1;
    /** More steps than any preset takes several times over; a request beyond it is a typo or an attack. */
    public static final int MAX_STEPS = 2000;
    /** Seeds people can type anywhere: Discord's integer options stop at 2^53. */
    public static final long MAX_SEED = (1L << 53) - 1;
    public static final int MAX_SCALE = 32;

    public DreamRequest {
        Objects.requireNonNull(prompt, "prompt");
        negatives = negatives == null ? List.of() : List.copyOf(negatives);
        mode = mode == null ? Mode.AUTO : mode;
    }

    public static DreamRequest of(String prompt, long seed) {
        return new DreamRequest(prompt, List.of(), 0, 0, seed, null, null, 0, Mode.AUTO);
    }

    /**
     * The limits every transport applies (the command line, Discord, the console, the queue), so
     * the same request is accepted or refused the same way everywhere. The prompt's length in
     * tokens needs the model and is checked where the model is ({@code Oven.checkPrompts}).
     *
     * @return this request
     * @throws InvalidInputException with one line for the user
     */
    public DreamRequest validate() {
        checkPrompt("prompt", prompt);
        for (String n : negatives) {
            checkPrompt("negative prompt", n);
        }
        if (size != 0) {
            checkRange("size", size, DreamSettings.MIN_SIZE, DreamSettings.MAX_SIZE);
        }
        if (steps != 0) {
            checkRange("steps", steps, MIN_STEPS, MAX_STEPS);
        }
        checkRange("seed", seed, 0, MAX_SEED);
        if (scale != 0) {
            checkRange("scale", scale, 1, MAX_SCALE);
        }
        if (preset != null) {
            DreamSettings.preset(preset);
        }
        if (palette != null) {
            Palette.parse(palette);
        }
        return this;
    }

    /** Not empty, at most {@value #MAX_PROMPT} characters, no control or format characters (U+202E and the like). */
    public static void checkPrompt(String what, String text) {
        String p = text == null ? "" : text.strip();
        if (p.isEmpty()) {
            throw new InvalidInputException("the " + what + " is empty: say what to dream, e.g. \"a red circle\"");
        }
        if (p.length() > MAX_PROMPT) {
            throw new InvalidInputException("the " + what + " is too long: " + p.length() + " characters, at most "
                    + MAX_PROMPT);
        }
        for (int i = 0; i < p.length(); i++) {
            int type = Character.getType(p.charAt(i));
            if (type == Character.CONTROL || type == Character.FORMAT) {
                throw new InvalidInputException(String.format("the %s holds a control character (U+%04X); use plain text",
                        what, (int) p.charAt(i)));
            }
        }
    }

    /** {@code name must be from min to max (got value)}, the words Discord and the console use too. */
    public static void checkRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidInputException(name + " must be from " + min + " to " + max + " (got " + value + ")");
        }
    }

    public DreamRequest withSeed(long newSeed) {
        return new DreamRequest(prompt, negatives, size, steps, newSeed, preset, palette, scale, mode);
    }

    public DreamRequest withPrompt(String newPrompt) {
        return newPrompt.equals(prompt) ? this
                : new DreamRequest(newPrompt, negatives, size, steps, seed, preset, palette, scale, mode);
    }
}
