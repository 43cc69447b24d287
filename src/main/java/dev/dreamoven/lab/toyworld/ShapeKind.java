package dev.dreamoven.lab.toyworld;

import java.util.Locale;

/** The shapes of the toy world. {@code TRIANGLE} points up; {@code CROSS} is a plus sign with arms a third of its size wide. */
public enum ShapeKind {
    CIRCLE, SQUARE, TRIANGLE, CROSS;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
