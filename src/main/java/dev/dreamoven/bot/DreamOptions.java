package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a command's options and turns them into a {@link DreamRequest}; every refusal is one friendly line. */
public final class DreamOptions {

    public static final int MAX_PROMPT = 300;
    public static final int MIN_SIZE = 16;
    public static final int MAX_SIZE = 256;
    public static final int MIN_STEPS = 1;
    public static final int MAX_STEPS = 2000;
    public static final long MAX_SEED = (1L << 53) - 1; // Discord integer options stop at 2^53
    public static final List<String> PALETTES = List.of("none", "pico8", "gameboy", "nes");
    public static final List<String> PRESETS = List.of("draft", "normal", "best");

    private static final Pattern HEX = Pattern.compile("#?[0-9a-fA-F]{6}");

    private DreamOptions() {
    }

    /** The request of a {@code /dream}; {@code randomSeed} is used when no seed was given. */
    public static DreamRequest parse(Interaction i, long randomSeed) {
        String prompt = prompt("prompt", i.option("prompt"));
        List<String> negatives = i.option("negative").isPresent()
                ? List.of(prompt("negative", i.option("negative"))) : List.of();
        int size = (int) number(i.option("size"), "size", MIN_SIZE, MAX_SIZE, 0);
        int steps = (int) number(i.option("steps"), "steps", MIN_STEPS, MAX_STEPS, 0);
        long seed = number(i.option("seed"), "seed", 0, MAX_SEED, randomSeed);
        String palette = palette(i.option("palette"));
        String preset = i.option("preset").map(p -> p.trim().toLowerCase(Locale.ROOT)).orElse(null);
        if (preset != null && !PRESETS.contains(preset)) {
            throw new InvalidInputException("preset must be one of " + String.join(", ", PRESETS) + ".");
        }
        return new DreamRequest(prompt, negatives, size, steps, seed, preset, palette, 0, DreamRequest.Mode.AUTO);
    }

    /** A prompt: not empty, at most 300 characters, no control characters. */
    public static String prompt(String name, Optional<String> given) {
        String p = given.map(String::strip).orElse("");
        if (p.isEmpty()) {
            throw new InvalidInputException("Please give a " + name + " (what to dream).");
        }
        if (p.length() > MAX_PROMPT) {
            throw new InvalidInputException("The " + name + " is too long: " + p.length() + " characters, at most "
                    + MAX_PROMPT + ".");
        }
        if (p.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT)) {
            throw new InvalidInputException("The " + name + " contains control characters; please use plain text.");
        }
        return p;
    }

    static long number(Optional<String> given, String name, long min, long max, long absent) {
        if (given.isEmpty() || given.get().isBlank()) {
            return absent;
        }
        long v;
        try {
            v = Long.parseLong(given.get().trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name + " must be a whole number from " + min + " to " + max + ".");
        }
        if (v < min || v > max) {
            throw new InvalidInputException(name + " must be from " + min + " to " + max + " (got " + v + ").");
        }
        return v;
    }

    static String palette(Optional<String> given) {
        if (given.isEmpty() || given.get().isBlank()) {
            return null;
        }
        String p = given.get().trim().toLowerCase(Locale.ROOT);
        if (PALETTES.contains(p)) {
            return p;
        }
        String[] colours = p.split("\\s*,\\s*");
        if (colours.length >= 2 && colours.length <= 64 && java.util.Arrays.stream(colours).allMatch(c -> HEX.matcher(c).matches())) {
            return String.join(",", colours);
        }
        throw new InvalidInputException("palette must be one of " + String.join(", ", PALETTES)
                + ", or a comma list of 2-64 hex colours like #1d2b53,#ff004d.");
    }

    static Set<String> presets() {
        return Set.copyOf(PRESETS);
    }
}
