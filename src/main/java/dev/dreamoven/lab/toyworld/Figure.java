package dev.dreamoven.lab.toyworld;

/**
 * A shape as drawn: kind, colour, centre and extent (bounding-box side) in pixels, which unlike a
 * {@link ShapeSpec} may lie between the world's two sizes.
 */
public record Figure(ShapeKind kind, ToyColour colour, double centreX, double centreY, double extent) {

    /** The figure of a scene's shape. */
    public static Figure of(ShapeSpec s) {
        return new Figure(s.kind(), s.colour(), s.centreX(), s.centreY(), s.size().extent(ToyWorld.SIDE));
    }

    public Figure at(double x, double y) {
        return new Figure(kind, colour, x, y, extent);
    }

    public Figure withKind(ShapeKind other) {
        return new Figure(other, colour, centreX, centreY, extent);
    }

    public Figure withExtent(double other) {
        return new Figure(kind, colour, centreX, centreY, other);
    }
}
