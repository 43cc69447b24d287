package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import java.util.Optional;

/** Option values every command checks the same way; each refusal is one friendly line. */
final class Options {

    /** Longest prompt a command takes. */
    static final int MAX_PROMPT = dev.dreamoven.dream.DreamRequest.MAX_PROMPT;

    private Options() {
    }

    /** A prompt: not empty, at most {@value #MAX_PROMPT} characters, no control characters. */
    static String prompt(String name, Optional<String> given) {
        String p = given.map(String::strip).orElse("");
        if (p.isEmpty()) {
            throw new InvalidInputException(Messages.missing(name));
        }
        if (p.length() > MAX_PROMPT) {
            throw new InvalidInputException(Messages.tooLong(name, p.length(), MAX_PROMPT));
        }
        if (p.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT)) {
            throw new InvalidInputException(Messages.controlCharacters(name));
        }
        return p;
    }

    /** A whole number in {@code min..max}, or {@code absent} when not given. */
    static long number(Optional<String> given, String name, long min, long max, long absent) {
        if (given.isEmpty() || given.get().isBlank()) {
            return absent;
        }
        long v;
        try {
            v = Long.parseLong(given.get().trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(Messages.notANumber(name, min, max));
        }
        if (v < min || v > max) {
            throw new InvalidInputException(Messages.outOfRange(name, min, max, v));
        }
        return v;
    }
}
