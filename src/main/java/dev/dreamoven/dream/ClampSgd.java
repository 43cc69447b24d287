package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ScalarOps;

/**
 * ClampSGD after seed 003 (Structured Dreaming; implemented from its description, not its code):
 * SGD with momentum whose step is clamped element-wise, so it behaves like a sign update for the
 * loud pixels and like plain SGD for the quiet ones. The momentum buffer is measured in units of its
 * own RMS so the clamp does not depend on the loss scale:
 * <pre>
 *   b ← μ·b + g
 *   p ← p − lr · clamp(b / (clampAt · rms(b) + ε), −1, 1)
 * </pre>
 * No pixel moves more than lr per step.
 */
public final class ClampSgd implements PixelOptimizer {

    private final OptimizerState state;
    private final double momentum;
    private final double clampAt;

    public ClampSgd(NDManager parent, double momentum, double clampAt) {
        this.state = new OptimizerState(parent, 1);
        this.momentum = momentum;
        this.clampAt = clampAt;
    }

    @Override
    public void step(NDArray param, NDArray grad, double lr, NDArray anchor) {
        NDArray buffer = state.begin(param, grad.getManager())[0];
        ScalarOps.muli(buffer, momentum).addi(grad);
        NDArray rms = buffer.square().mean().sqrt();
        NDArray unit = buffer.div(ScalarOps.mul(rms, clampAt).add(1e-12f)).clip(-1f, 1f);
        param.subi(ScalarOps.mul(unit, lr));
    }

    @Override
    public void reset() {
        state.reset();
    }

    @Override
    public int stepsSinceReset() {
        return state.steps();
    }

    @Override
    public void close() {
        state.close();
    }
}
