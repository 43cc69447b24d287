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
}
