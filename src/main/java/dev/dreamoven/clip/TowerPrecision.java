package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What the CLIP towers compute their matrix products and convolutions in. {@link #FLOAT32}
 * everywhere (the CPU, and a GPU set to float32) is the identity: the towers run exactly the
 * operations they run without it. On a GPU, {@link #FLOAT16} works as PyTorch's autocast does:
 * the inputs of a linear, matmul or convolution are cast to the half type, the product comes back as
 * float32, so layer norms, softmax, residual sums, and everything outside the towers (pixels,
 * losses, optimizer state) stay float32. Only {@link TorchDevice} hands out a half precision, and
 * only for a CUDA device.
 */
public final class TowerPrecision {

    public static final TowerPrecision FLOAT32 = new TowerPrecision(DataType.FLOAT32);

    /**
     * float16 products; package-private: a half precision is the device's decision. (No bfloat16:
     * DJL 0.36 aborts the process, "terminate called without an active exception", as soon as it
     * makes a bfloat16 array, with the CPU libtorch here; see docs/design.md.)
     */
    static final TowerPrecision FLOAT16 = new TowerPrecision(DataType.FLOAT16);

    private final DataType compute;

    private TowerPrecision(DataType compute) {
        this.compute = compute;
    }

    /** The type of the matrix products (float32 or float16). */
    public DataType computeType() {
        return compute;
    }

    /** True when nothing is cast: every operation runs in float32. */
    public boolean isFloat32() {
        return compute == DataType.FLOAT32;
    }

    /**
     * An input of a matrix product, in the compute type (the same array for float32). DJL's
     * {@code toType} runs under libtorch's no-grad guard, which would cut the pixels off the graph;
     * a copy into an array of the compute type ({@code copy_}) is on it.
     */
    NDArray in(NDArray x) {
        if (isFloat32() || x.getDataType() == compute) {
            return x;
        }
        NDArray half = x.getManager().create(x.getShape(), compute); // uninitialized, filled next
        half.set(new NDIndex("..."), x);
        return half;
    }

    /**
     * A product back in float32 (the same array for float32): adding a float32 zero of shape [1]
     * promotes the product to float32 exactly and, unlike {@code toType}, stays on the graph.
     */
    NDArray out(NDArray y) {
        if (y.getDataType() == DataType.FLOAT32) {
            return y;
        }
        return y.add(y.getManager().zeros(new Shape(1), DataType.FLOAT32));
    }


    @Override
    public String toString() {
        return compute.name().toLowerCase(java.util.Locale.ROOT);
    }
}
