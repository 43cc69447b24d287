package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Map;

/**
 * One {@code nn.BatchNorm2d} layer over the channels (dim 1) of {@code [N, C, H, W]}:
 * {@code y = (x − mean) / sqrt(var + eps) · weight + bias}, eps {@value #EPS} (PyTorch's default,
 * which every released CLIP uses).
 *
 * <p>State dict: {@code prefix.weight [C]} and {@code prefix.bias [C]} are parameters;
 * {@code prefix.running_mean [C]} and {@code prefix.running_var [C]} are <em>buffers</em>: part of
 * the state dict, never trained by gradients, and missed by loaders that list only parameters.
 * {@code prefix.num_batches_tracked} (int64) is a buffer too, used by PyTorch only when momentum
 * is {@code None}; it is not needed here and not kept.
 *
 * <p>Both forms are libtorch's {@code batch_norm}, called directly: DJL's
 * {@code BatchNorm.batchNorm} takes MXNet's momentum ({@code 1 − m}) and, for a channel axis other
 * than its default, re-attaches its input to a temporary manager. {@link #inference} normalizes by
 * the running statistics (what CLIP's image tower uses); {@link #training} normalizes by the
 * batch's own statistics and updates the running ones in place, as {@code nn.BatchNorm2d} does in
 * {@code train()} mode, for a ModifiedResNet trained here.
 */
final class BatchNorm2d {

    static final float EPS = 1e-5f;

    private static final String[] PARAMETERS = {"weight", "bias"};
    private static final String[] BUFFERS = {"running_mean", "running_var"};

    private final NDArray weight;
    private final NDArray bias;
    private final NDArray runningMean;
    private final NDArray runningVar;

    BatchNorm2d(NDArray weight, NDArray bias, NDArray runningMean, NDArray runningVar) {
        this.weight = weight;
        this.bias = bias;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
    }

    /** The layer at {@code prefix} (e.g. {@code visual.bn1}) of a model's parameter and buffer maps. */
    static BatchNorm2d of(String prefix, Map<String, NDArray> parameters, Map<String, NDArray> buffers) {
        return new BatchNorm2d(parameters.get(prefix + ".weight"), parameters.get(prefix + ".bias"),
                buffers.get(prefix + ".running_mean"), buffers.get(prefix + ".running_var"));
    }

    /** Adds the layer's four state-dict tensors, in PyTorch's order, to {@code shapes}. */
    static void shapes(Map<String, long[]> shapes, String prefix, long channels) {
        for (String p : PARAMETERS) {
            shapes.put(prefix + "." + p, new long[] {channels});
        }
        for (String b : BUFFERS) {
            shapes.put(prefix + "." + b, new long[] {channels});
        }
    }

    /** Whether a state-dict key is a BatchNorm running statistic (a buffer, not a parameter). */
    static boolean isBuffer(String key) {
        for (String b : BUFFERS) {
            if (key.endsWith("." + b)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Normalizes with the running statistics. The result lives in x's manager; gradients flow to x
     * (and to weight and bias when they require them), never to the running statistics.
     *
     * @param x {@code [N, C, H, W]}
     * @return {@code [N, C, H, W]}
     */
    NDArray inference(NDArray x) {
        return batchNorm(x, false, 0); // the momentum is unused
    }

    /**
     * Normalizes by the batch's statistics (mean and biased variance over N, H, W per channel) and
     * updates the running statistics in place: {@code running ← (1 − m) · running + m · batch},
     * with the unbiased batch variance, as PyTorch does. Gradients flow to x (and to weight and
     * bias when they require them) through the batch statistics too.
     *
     * @param x {@code [N, C, H, W]} with more than one value per channel
     * @param momentum PyTorch's m (its default is 0.1)
     * @return {@code [N, C, H, W]}
     */
    NDArray training(NDArray x, double momentum) {
        return batchNorm(x, true, momentum);
    }

    private NDArray batchNorm(NDArray x, boolean training, double momentum) {
        return JniUtils.batchNorm((PtNDArray) x, (PtNDArray) runningMean, (PtNDArray) runningVar, (PtNDArray) weight,
                (PtNDArray) bias, training, momentum, EPS);
    }
}
