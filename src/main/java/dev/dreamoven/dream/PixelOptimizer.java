package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;

/**
 * Updates the picture in place from its gradient. State (moments, momentum) lives in the
 * optimizer's own manager and survives steps until {@link #reset()}; everything else a step makes
 * lands in the gradient's manager, which the caller closes after the step.
 */
public interface PixelOptimizer extends AutoCloseable {

    /**
     * @param param the picture {@code [1, 3, H, W]}, updated in place; must belong to the step's manager
     *     (e.g. {@code tempAttach}ed to it) so temporaries land there
     * @param grad d loss / d param, same shape
     * @param lr this step's learning rate
     * @param anchor what weight decay pulls toward (the octave's starting picture), same shape
     */
    void step(NDArray param, NDArray grad, double lr, NDArray anchor);

    /** Forgets the state: the next step behaves like the first. */
    void reset();

    /** Steps since creation or the last reset. */
    int stepsSinceReset();

    @Override
    void close();

    static PixelOptimizer create(DreamSettings.Schedule s, ai.djl.ndarray.NDManager home) {
        return switch (s.optimizer()) {
            case ADAM -> new Adam(home, 0.9, 0.999, 1e-8, s.weightDecay());
            case ADAMW -> new AdamW(home, 0.9, 0.999, 1e-8, s.weightDecay());
            case CLAMP_SGD -> new ClampSgd(home, 0.9, 1.0);
        };
    }
}
