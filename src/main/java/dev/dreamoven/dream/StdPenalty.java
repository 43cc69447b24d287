package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;

/** {@code (std(z) − target)²} over all values: keeps the contrast near a wanted level. */
public final class StdPenalty {

    private StdPenalty() {
    }

    /** Population standard deviation of all values, scalar. */
    public static NDArray std(NDArray image) {
        NDArray centered = image.sub(image.mean());
        return centered.square().mean().add(1e-12f).sqrt();
    }

    /** @param image any shape → scalar */
    public static NDArray loss(NDArray image, double target) {
        return std(image).sub((float) target).square();
    }
}
