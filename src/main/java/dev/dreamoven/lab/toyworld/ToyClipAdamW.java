package dev.dreamoven.lab.toyworld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ScalarOps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Loshchilov and Hutter; PyTorch's {@code torch.optim.AdamW}) over named NDArrays, updating
 * them in place. Weight decay is decoupled ({@code p -= lr·wd·p} before the Adam step) and applies
 * only to the names in {@code decayed}. The moment estimates live in the optimizer's own manager.
 */
public final class ToyClipAdamW implements AutoCloseable {

    private final Map<String, NDArray> parameters;
    private final Set<String> decayed;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> firstMoment = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoment = new LinkedHashMap<>();
    private int steps;

    public ToyClipAdamW(Map<String, NDArray> parameters, Set<String> decayed, double beta1, double beta2, double eps,
            double weightDecay, NDManager parent) {
        this.parameters = parameters;
        this.decayed = Set.copyOf(decayed);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            firstMoment.put(e.getKey(), manager.zeros(e.getValue().getShape()));
            secondMoment.put(e.getKey(), manager.zeros(e.getValue().getShape()));
        }
    }

    /** Steps taken so far. */
    public int steps() {
        return steps;
    }

    /**
     * One update with learning rate {@code lr}, from each parameter's gradient, the gradients first
     * scaled down to a global L2 norm of at most {@code maxGradNorm} (0: no clipping); call outside
     * a gradient collector. A step whose gradients are not finite changes nothing (it is skipped,
     * so one bad batch cannot poison the moments). Temporaries live in {@code scope}; the gradients
     * are then zeroed.
     *
     * @return the global gradient norm before clipping (NaN or infinite when the step was skipped)
     */
    public double step(double lr, double maxGradNorm, NDManager scope) {
        Map<String, NDArray> grads = new LinkedHashMap<>();
        NDArray squares = null;
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray grad = e.getValue().getGradient();
            grad.attach(scope);
            grads.put(e.getKey(), grad);
            NDArray sq = grad.square().sum();
            squares = squares == null ? sq : squares.add(sq);
        }
        double norm = Math.sqrt(squares.getFloat());
        if (!Double.isFinite(norm)) {
            for (NDArray grad : grads.values()) {
                grad.set(new float[(int) grad.size()]); // subtracting itself would leave NaN
            }
            return norm;
        }
        float clip = maxGradNorm > 0 && norm > maxGradNorm ? (float) (maxGradNorm / norm) : 1f;
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        double stepSize = lr / correction1;
        double sqrtCorrection2 = Math.sqrt(correction2);
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            String name = e.getKey();
            NDArray p = e.getValue();
            NDArray grad = grads.get(name);
            NDArray g = clip == 1f ? grad : ScalarOps.mul(grad, clip);
            NDArray m = firstMoment.get(name);
            NDArray v = secondMoment.get(name);
            ScalarOps.muli(m, beta1).addi(ScalarOps.mul(g, 1 - beta1));
            ScalarOps.muli(v, beta2).addi(ScalarOps.muli(g.square(), 1 - beta2));
            if (weightDecay != 0 && decayed.contains(name)) {
                ScalarOps.muli(p, 1 - lr * weightDecay);
            }
            // p -= lr/(1-b1^t) · m / (sqrt(v)/sqrt(1-b2^t) + eps)
            NDArray denominator = v.sqrt();
            denominator.attach(scope);
            ScalarOps.divi(denominator, sqrtCorrection2).addi((float) eps);
            NDArray update = m.div(denominator);
            update.attach(scope);
            p.subi(ScalarOps.muli(update, stepSize)); // the scalar takes the parameter's type, so 0-d parameters stay float32
            grad.subi(grad); // gradients accumulate in libtorch; start the next step from zero
        }
        return norm;
    }

    /** {@link #step(double, double, NDManager)} without clipping. */
    public double step(double lr, NDManager scope) {
        return step(lr, 0, scope);
    }

    @Override
    public void close() {
        manager.close();
    }
}
