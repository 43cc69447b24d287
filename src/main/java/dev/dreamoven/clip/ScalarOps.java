package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic between an array and a number that is safe inside an autograd graph.
 *
 * <p>Why this exists: DJL's {@code NDArray.mul(Number)} (and div, pow, maximum, minimum and their
 * in-place forms) wraps the number in a tensor made by {@code torch::from_blob} over a Java direct
 * buffer, runs the op, and closes that tensor at once, which drops the only reference to the buffer.
 * Autograd keeps the scalar for the backward pass (d(x·s)/dx = s), so backward later reads memory the
 * garbage collector may already have freed and reused: most runs are right, a few percent get a
 * gradient scaled by garbage (seen here as "same seed, different picture" and as rare non-finite
 * gradients). Here the scalar is allocated by libtorch itself, so the graph's reference keeps it
 * alive. {@code ArchitectureTest} forbids the DJL forms everywhere else.
 */
public final class ScalarOps {

    private ScalarOps() {
    }

    /** {@code x · v} */
    public static NDArray mul(NDArray x, double v) {
        return withScalar(x, v, NDArray::mul);
    }

    /** {@code x / v} */
    public static NDArray div(NDArray x, double v) {
        return withScalar(x, v, NDArray::div);
    }

    /** {@code x ^ v} element-wise */
    public static NDArray pow(NDArray x, double v) {
        return withScalar(x, v, NDArray::pow);
    }

    /** element-wise {@code max(x, v)} */
    public static NDArray max(NDArray x, double v) {
        return withScalar(x, v, NDArray::maximum);
    }

    /** element-wise {@code min(x, v)} */
    public static NDArray min(NDArray x, double v) {
        return withScalar(x, v, NDArray::minimum);
    }

    /** {@code x ← x · v} in place (for arrays outside any graph, such as optimizer state). */
    public static NDArray muli(NDArray x, double v) {
        return withScalar(x, v, NDArray::muli);
    }

    /** {@code x ← x / v} in place. */
    public static NDArray divi(NDArray x, double v) {
        return withScalar(x, v, NDArray::divi);
    }

    /**
     * Closing the scalar's handle is safe: it only drops this reference, and the graph (or the
     * result) holds its own on the libtorch storage.
     */
    private static NDArray withScalar(NDArray x, double v, BinaryOperator<NDArray> op) {
        try (NDArray s = scalar(x, v)) {
            return op.apply(x, s);
        }
    }

    /** A 0-dimensional array of x's type in x's manager, in libtorch-owned memory. */
    private static NDArray scalar(NDArray x, double v) {
        return x.getManager().full(new Shape(), (float) v, x.getDataType());
    }
}
