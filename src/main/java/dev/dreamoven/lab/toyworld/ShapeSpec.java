package dev.dreamoven.lab.toyworld;

/**
 * One shape of a scene. The centre is in pixels (may be fractional); the shape covers the square
 * of side {@code size.extent(side)} around it.
 */
public record ShapeSpec(ShapeKind kind, ShapeSize size, ToyColour colour, double centreX, double centreY) {
}
