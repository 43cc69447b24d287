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

    /** True once the job was cancelled or the app is shutting down; the engine should return or throw soon. */
    boolean cancelled();
}
