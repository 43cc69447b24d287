package dev.dreamoven.render;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The transport port: how the queue tells a requester what happens to their job. Implemented by
 * the Discord adapter, the console and tests. Called from the submitting thread ({@link #accepted})
 * or the worker thread (the rest): implementations must return quickly and never throw on purpose.
 */
public interface JobEvents {

    /** The job is durably queued at this position (1 = next). */
    default void accepted(RenderJob job, int position) {
    }

    /** The job moved up the queue to this position (1 = next) because another one started. */
    default void moved(RenderJob job, int position) {
    }

    /**
     * At start-up, a job left waiting or interrupted by the previous process is back in the queue at this
     * position; its requester has not heard of it since.
     */
    default void recovered(RenderJob job, int position) {
    }

    /** The worker started the job. */
    default void started(RenderJob job) {
    }

    /** The engine's plan for the job, in words for the requester, told before the work (after {@link #started}). */
    default void planned(RenderJob job, String plan) {
    }

    /**
     * Progress, at most every few hundred milliseconds. {@code previewPng} encodes a picture when
     * called; call it only inside this method (on the worker thread, which owns the engine's tensors).
     */
    default void progress(RenderJob job, int step, int totalSteps, double similarity, Supplier<byte[]> previewPng) {
    }

    /**
     * The job finished; its picture is in {@code pngFile}. The transport calls
     * {@link RenderQueue#markDelivered(long)} once it has delivered it; undelivered results are
     * delivered again after a restart.
     */
    void done(RenderJob job, RenderOutcome outcome, Path pngFile);

    /** The job failed; {@code message} is written for the requester. */
    void failed(RenderJob job, String message);

    /** The job was cancelled. */
    void cancelled(RenderJob job);

    JobEvents NONE = new JobEvents() {
        @Override
        public void done(RenderJob job, RenderOutcome outcome, Path pngFile) {
        }

        @Override
        public void failed(RenderJob job, String message) {
        }

        @Override
        public void cancelled(RenderJob job) {
        }
    };
}
