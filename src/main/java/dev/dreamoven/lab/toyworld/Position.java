package dev.dreamoven.lab.toyworld;

import java.util.Locale;

/** Where a lone shape sits. */
public enum Position {
    LEFT("on the left"), RIGHT("on the right"), TOP("at the top"), BOTTOM("at the bottom"), CENTRE("in the centre");

    private final String phrase;

    Position(String phrase) {
        this.phrase = phrase;
    }

    /** The caption phrase, e.g. {@code at the top}. */
    public String phrase() {
        return phrase;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The position of a centre ({@code cx, cy}) in an image of {@code width × height}: the centre
     * when both offsets from the middle are under 1/8 of the side, otherwise the side along the
     * larger offset. The generator places shapes so that this rule gives back what it meant, and
     * the judge uses the same rule.
     */
    public static Position of(double cx, double cy, int width, int height) {
        double dx = (cx - width / 2.0) / width;
        double dy = (cy - height / 2.0) / height;
        if (Math.abs(dx) < 0.125 && Math.abs(dy) < 0.125) {
            return CENTRE;
        }
        if (Math.abs(dx) >= Math.abs(dy)) {
            return dx < 0 ? LEFT : RIGHT;
        }
        return dy < 0 ? TOP : BOTTOM;
    }
}
