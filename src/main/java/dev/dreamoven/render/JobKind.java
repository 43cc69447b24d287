package dev.dreamoven.render;

/** What a queued job does. Dreams are served before bakes: people wait for dreams, nobody waits for a bake. */
public enum JobKind {
    DREAM(0),
    BAKE(1);

    private final int priority;

    JobKind(int priority) {
        this.priority = priority;
    }

    /** Lower is served first. */
    public int priority() {
        return priority;
    }
}
