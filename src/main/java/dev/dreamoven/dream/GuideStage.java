package dev.dreamoven.dream;

import java.util.List;

/** A run of {@code steps} optimization steps toward {@code targets} (microwave: one baked stage vector). */
public record GuideStage(int steps, List<GuideTarget> targets) {

    public GuideStage {
        if (steps < 1) {
            throw new IllegalArgumentException("a stage needs at least one step, got " + steps);
        }
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a stage needs at least one target");
        }
    }
}
