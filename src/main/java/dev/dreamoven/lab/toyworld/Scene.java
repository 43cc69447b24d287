package dev.dreamoven.lab.toyworld;

import java.util.List;
import java.util.Optional;

/**
 * A toy-world picture before rendering: a background and one or two shapes. With two shapes,
 * {@code relation} says how {@code shapes.get(0)} sits relative to {@code shapes.get(1)}.
 */
public record Scene(ToyColour background, List<ShapeSpec> shapes, Optional<Relation> relation) {

    public Scene {
        shapes = List.copyOf(shapes);
        if (shapes.isEmpty() || shapes.size() > 2) {
            throw new IllegalArgumentException("a scene has one or two shapes, got " + shapes.size());
        }
        if (relation.isPresent() != (shapes.size() == 2)) {
            throw new IllegalArgumentException("a relation belongs exactly to scenes with two shapes");
        }
        for (ShapeSpec s : shapes) {
            if (s.colour() == background) {
                throw new IllegalArgumentException("a shape never has the background colour");
            }
        }
        if (shapes.size() == 2 && shapes.get(0).colour() == shapes.get(1).colour()) {
            throw new IllegalArgumentException("two shapes have distinct colours");
        }
    }
}
