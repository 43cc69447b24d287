package dev.dreamoven.lab.toyworld;

import java.util.Locale;

/** Shape sizes: the extent (bounding-box side) is about a quarter or half of the image side. */
public enum ShapeSize {
    SMALL(0.25), BIG(0.5);

    private final double fraction;

    ShapeSize(double fraction) {
        this.fraction = fraction;
    }

    /** Extent as a fraction of the image side. */
    public double fraction() {
        return fraction;
    }

    /** Extent in pixels on an image of side {@code side}. */
    public int extent(int side) {
        return (int) Math.round(fraction * side);
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
