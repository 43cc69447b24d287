package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;

/** grad / (std(grad) + ε): the step size stops depending on how loud the loss is this step. */
public final class GradientNormalization {

    public static final float EPSILON = 1e-8f;

    private GradientNormalization() {
    }

    public static NDArray apply(NDArray grad) {
        NDArray centered = grad.sub(grad.mean());
        NDArray std = centered.square().mean().sqrt();
        return grad.div(std.add(EPSILON));
    }
}
