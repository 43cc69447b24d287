package dev.dreamoven.lab.toyworld;

import java.util.List;
import java.util.Optional;

/**
 * What a toy-world prompt asks for: an optional background, one or two shapes, and for two shapes
 * an optional relation of {@code shapes.get(0)} to {@code shapes.get(1)}.
 */
public record Spec(Optional<ToyColour> background, List<ShapeQuery> shapes, Optional<Relation> relation) {

    public Spec {
        shapes = List.copyOf(shapes);
        if (shapes.isEmpty() || shapes.size() > 2) {
            throw new IllegalArgumentException("a spec asks for one or two shapes, got " + shapes.size());
        }
        if (relation.isPresent() && shapes.size() != 2) {
            throw new IllegalArgumentException("a relation needs two shapes");
        }
    }

    /** Everything true of a scene as a spec (all attributes asked; positions only for a lone shape). */
    public static Spec of(Scene scene, int width, int height) {
        List<ShapeQuery> queries = scene.shapes().stream().map(s -> new ShapeQuery(Optional.of(s.colour()),
                Optional.of(s.kind()), Optional.of(s.size()),
                scene.shapes().size() == 1
                        ? Optional.of(Position.of(s.centreX(), s.centreY(), width, height))
                        : Optional.<Position>empty()))
                .toList();
        return new Spec(Optional.of(scene.background()), queries, scene.relation());
    }
}
