package dev.dreamoven.lab.toyworld;

import dev.dreamoven.image.RgbImage;

/** A rendered scene with one of its true captions. */
public record Sample(RgbImage image, String caption, Scene scene) {
}
