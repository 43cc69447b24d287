package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.image.RgbImage;
import java.util.Random;

/**
 * What a dream optimizes and how that becomes a picture: free pixels ({@link PixelCanvas}) or
 * palette layers with masks ({@link LayerCanvas}). The {@link Dreamer} loop is the same for both:
 * per step it asks the canvas for a differentiable picture, shows CLIP the canvas's views of it,
 * back-propagates the guidance loss plus the canvas's own regularizers, and lets the canvas move
 * its parameters.
 *
 * <p>Every array a step makes lives in the step's manager; what survives steps (parameters,
 * optimizer moments) lives in the manager the canvas was made in.
 */
interface Canvas extends AutoCloseable {

    /** Before global step {@code step} of {@code total}: octave changes and the like. */
    void beforeStep(int step, int total);

    /**
     * This step's picture {@code [1, 3, s, s]} in {@code step}, built from fresh copies of the
     * parameters that record gradients.
     *
     * @param progress 0 at the first step, approaching 1 at the last
     */
    NDArray draw(NDManager step, double progress);

    /** The views CLIP sees of {@code picture}: {@code [N, 3, R, R]}, not yet CLIP-normalized. */
    NDArray views(NDArray picture, int resolution, Random rnd);

    /** The canvas's own regularizers of this step's picture (a scalar with a graph). */
    NDArray regularizers(NDArray picture, double progress);

    /**
     * Moves the parameters along this step's gradients (read from the arrays {@link #draw} made).
     *
     * @param step global 0-based step, for the learning-rate schedule
     */
    void update(int step);

    /** Forgets the optimizer state: a microwave does this at every stage. */
    void resetOptimizer();

    /** The current picture at {@code size}, as the final picture would be if the dream stopped here. */
    RgbImage picture(int size);

    @Override
    void close();
}
