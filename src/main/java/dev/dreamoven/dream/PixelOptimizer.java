package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Updates the picture in place from its gradient. State (moments) lives in the optimizer's own
 * manager and survives steps until {@link #reset()}; everything else a step makes lands in the
 * gradient's manager, which the caller closes after the step.
 */
public interface PixelOptimizer extends AutoCloseable {

    /**
     * @param param the picture {@code [1, 3, H, W]}, updated in place; must belong to the step's manager
     *     (e.g. {@code tempAttach}ed to it) so temporaries land there
     * @param grad d loss / d param, same shape
     * @param lr this step's learning rate
     */
    void step(NDArray param, NDArray grad, double lr);

    /** Forgets the state: the next step behaves like the first. */
    void reset();

    /** Steps since creation or the last reset. */
    int stepsSinceReset();

    @Override
    void close();

    /** The pixel optimizer of every dream: Adam with the usual betas. */
    static PixelOptimizer create(NDManager home) {
        return new Adam(home, 0.9, 0.999, 1e-8);
    }
}
