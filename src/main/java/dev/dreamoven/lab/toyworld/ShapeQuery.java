package dev.dreamoven.lab.toyworld;

import java.util.Optional;

/** What a prompt asks of one shape; every attribute is optional. */
public record ShapeQuery(Optional<ToyColour> colour, Optional<ShapeKind> kind, Optional<ShapeSize> size,
        Optional<Position> position) {

    public static ShapeQuery of(ToyColour colour, ShapeKind kind) {
        return new ShapeQuery(Optional.of(colour), Optional.of(kind), Optional.empty(), Optional.empty());
    }

    /** Short words for reports, e.g. {@code big red circle on the left}. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        size.ifPresent(s -> b.append(s.word()).append(' '));
        colour.ifPresent(c -> b.append(c.word()).append(' '));
        b.append(kind.map(ShapeKind::word).orElse("shape"));
        position.ifPresent(p -> b.append(' ').append(p.phrase()));
        return b.toString();
    }
}
