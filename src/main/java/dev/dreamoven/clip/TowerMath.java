package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The towers' matrix products (linear layers, matmuls, convolutions) in a {@link TowerPrecision}.
 * In float32 each method is exactly the one DJL call it wraps. In a half precision the inputs are
 * cast, the weights are read from half copies made once (in the model's manager, freed with it), and
 * the product is cast back to float32.
 */
final class TowerMath {

    private final TowerPrecision precision;
    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> halfWeights = new ConcurrentHashMap<>();

    TowerMath(TowerPrecision precision, Map<String, NDArray> parameters) {
        this.precision = precision;
        this.parameters = parameters;
    }

    TowerPrecision precision() {
        return precision;
    }

    /** {@code x · W^T + b} with {@code prefix.weight} and {@code prefix.bias}. */
    NDArray linear(NDArray x, String prefix) {
        return linear(x, prefix + ".weight", prefix + ".bias");
    }

    /** {@code x · W^T + b}; {@code biasKey} may be null. */
    NDArray linear(NDArray x, String weightKey, String biasKey) {
        return linear(x, weight(weightKey), biasKey == null ? null : weight(biasKey));
    }

    /** {@code x · W^T + b} with a weight the caller holds (already in the compute type). */
    NDArray linear(NDArray x, NDArray w, NDArray b) {
        return precision.out(Linear.linear(precision.in(x), w, b).singletonOrThrow());
    }

    /** {@code a · b} of two activations. */
    NDArray matMul(NDArray a, NDArray b) {
        return precision.out(precision.in(a).matMul(precision.in(b)));
    }

    /** {@code x · P} with the parameter {@code key} (a projection). */
    NDArray matMulWeight(NDArray x, String key) {
        return precision.out(precision.in(x).matMul(weight(key)));
    }

    /** A 2-D convolution without bias, dilation 1, one group. */
    NDArray conv2d(NDArray x, String key, int stride, int padding) {
        return precision.out(Conv2d.conv2d(precision.in(x), weight(key), null, new Shape(stride, stride),
                new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow());
    }

    /** The parameter {@code key} in the compute type: the parameter itself in float32, else its half copy. */
    NDArray weight(String key) {
        NDArray p = parameters.get(key);
        if (p == null) {
            throw new IllegalStateException("no parameter " + key);
        }
        if (precision.isFloat32()) {
            return p;
        }
        return halfWeights.computeIfAbsent(key, k -> p.toType(precision.computeType(), true));
    }
}
