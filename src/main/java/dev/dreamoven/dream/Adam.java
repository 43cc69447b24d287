package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ScalarOps;

/** Adam (Kingma & Ba) with bias correction. */
public final class Adam implements PixelOptimizer {

    private final OptimizerState state;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    public Adam(NDManager parent, double beta1, double beta2, double epsilon) {
        this.state = new OptimizerState(parent, 2);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public void step(NDArray param, NDArray grad, double lr) {
        NDArray[] moments = state.begin(param, grad.getManager());
        NDArray m = moments[0];
        NDArray v = moments[1];
        int t = state.steps();
        ScalarOps.muli(m, beta1).addi(ScalarOps.mul(grad, 1 - beta1));
        ScalarOps.muli(v, beta2).addi(ScalarOps.mul(grad.square(), 1 - beta2));
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        // p -= lr · m̂ / (sqrt(v̂) + ε), with m̂ = m / c1, v̂ = v / c2
        NDArray update = ScalarOps.div(m, c1).div(ScalarOps.div(v, c2).sqrt().add((float) epsilon));
        param.subi(ScalarOps.mul(update, lr));
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
