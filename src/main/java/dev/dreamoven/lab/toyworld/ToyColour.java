package dev.dreamoven.lab.toyworld;

import java.util.Locale;
import java.util.Optional;

/** The eight named colours of the toy world (sRGB). */
public enum ToyColour {
    RED(0xDC2828),
    GREEN(0x28B43C),
    BLUE(0x2850DC),
    YELLOW(0xF0DC28),
    PURPLE(0x963CC8),
    ORANGE(0xFA8C1E),
    WHITE(0xF5F5F5),
    BLACK(0x141414);

    private final int rgb;

    ToyColour(int rgb) {
        this.rgb = rgb;
    }

    /** 0xRRGGBB. */
    public int rgb() {
        return rgb;
    }

    /** The word used in captions, e.g. {@code red}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ToyColour> fromWord(String word) {
        for (ToyColour c : values()) {
            if (c.word().equals(word)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
