package dev.dreamoven.render;

import java.util.function.Supplier;

/** What the engine reports while it works, and how it learns that it should stop. */
public interface RenderProgress {

    /**
     * Called by the engine now and then (every step is fine: the queue throttles what it passes on).
     *
     * @param previewPng makes a PNG of the picture so far; only called when a preview is shown,
     *     so the engine should not encode one eagerly
     */
    void update(int step, int totalSteps, double similarity, Supplier<byte[]> previewPng);

    /**
     * The engine has what it needs (the model is loaded, the request resolved) and starts
     * rendering: from now on a crash counts as one of the job's attempts. Called at most once per
     * job, before the first {@link #update}; an engine that never calls it starts counting at its
     * first update. A crash before that (while a model loads, say) is not the job's fault.
     */
    default void begin() {
    }

    /**
     * The engine has decided how it will render the job and says so in words for the requester
     * ("starting from the baked path of 'a red circle' (very close); 250 steps"), before the work.
     */
    default void planned(String plan) {
    }

    /** True once the job was cancelled or the app is shutting down; the engine should return or throw soon. */
    boolean cancelled();
}
