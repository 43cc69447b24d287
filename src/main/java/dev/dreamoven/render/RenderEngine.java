package dev.dreamoven.render;

/**
 * The one thing that owns the model and the device. The render queue calls it from its single
 * worker thread only, one job at a time, so implementations need no locking.
 */
public interface RenderEngine {

    /**
     * Renders a dream ({@link JobKind#DREAM}) or bakes a prompt ({@link JobKind#BAKE}).
     *
     * @throws dev.dreamoven.common.InvalidInputException for a request that cannot be rendered (its message
     *     goes to the requester as is)
     * @throws Exception anything else fails the job with a generic message
     */
    RenderOutcome render(RenderJob job, RenderProgress progress) throws Exception;

    /**
     * Loads what every job needs (the model), on the worker thread, before the worker takes its
     * first job; a failure here leaves the queue untouched and is retried with backoff. Called
     * until it succeeds once.
     */
    default void load() throws Exception {
    }

    /**
     * Refuses, when it is submitted, a request this engine could never render (a prompt longer
     * than the model's context, say), so the requester hears it at once instead of from the worker.
     * Called on the submitting thread; must be quick and thread-safe.
     *
     * @throws dev.dreamoven.common.InvalidInputException with one line for the requester
     */
    default void validate(JobKind kind, dev.dreamoven.dream.DreamRequest request) {
    }
}
