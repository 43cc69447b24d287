package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ScalarOpsTest {

    @BeforeAll
    static void start() {
        TorchRuntime.start(1, 1);
    }

    @Test
    void eachOperationComputesWhatItSays() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-2f, 0.5f, 4f});
            assertThat(ScalarOps.mul(x, 3).toFloatArray()).containsExactly(-6f, 1.5f, 12f);
            assertThat(ScalarOps.div(x, 2).toFloatArray()).containsExactly(-1f, 0.25f, 2f);
            assertThat(ScalarOps.pow(x, 2).toFloatArray()).containsExactly(4f, 0.25f, 16f);
            assertThat(ScalarOps.max(x, 0).toFloatArray()).containsExactly(0f, 0.5f, 4f);
            assertThat(ScalarOps.min(x, 1).toFloatArray()).containsExactly(-2f, 0.5f, 1f);
            assertThat(x.toFloatArray()).as("the out-of-place forms leave x alone").containsExactly(-2f, 0.5f, 4f);

            NDArray y = x.duplicate();
            assertThat(ScalarOps.muli(y, 2)).isSameAs(y);
            assertThat(y.toFloatArray()).containsExactly(-4f, 1f, 8f);
            ScalarOps.divi(y, 4);
            assertThat(y.toFloatArray()).containsExactly(-1f, 0.25f, 2f);
        }
    }

    @Test
    void theScalarTakesTheArraysTypeSoZeroDimensionalFloatsStayFloat() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(1.5f); // 0-d float32
            NDArray y = ScalarOps.div(x, 0.5); // a Java double scalar would promote a 0-d float to double
            assertThat(y.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(y.getShape()).isEqualTo(new Shape());
            assertThat(y.getFloat()).isEqualTo(3f);
        }
    }

    /**
     * The reason the class exists: the scalar must still be there when backward runs, even after the
     * Java objects around it are gone and the garbage collector has freed and reused native memory.
     * (With DJL's {@code x.mul(3f)} and the rest instead, this test fails in its first round.)
     */
    @Tag("slow")
    @Test
    void gradientsThroughScalarsSurviveGarbageCollectionBeforeBackward() {
        List<BiFunction<NDArray, Double, NDArray>> ops = List.of(ScalarOps::mul, ScalarOps::div, ScalarOps::pow,
                ScalarOps::max, ScalarOps::min);
        // d/dx of sum(op(x, s)) at x = 2 for s = 3: mul 3, div 1/3, pow 3·2² = 12, max(2,3) 0, min(2,3) 1
        float[] expected = {3f, 1f / 3f, 12f, 0f, 1f};
        try (NDManager m = NDManager.newBaseManager()) {
            for (int round = 0; round < 60; round++) {
                for (int k = 0; k < ops.size(); k++) {
                    try (NDManager scope = m.newSubManager()) {
                        NDArray x = scope.full(new Shape(64), 2f);
                        x.setRequiresGradient(true);
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray loss = ops.get(k).apply(x, 3.0).sum();
                            reuseFreedNativeMemory();
                            collector.backward(loss);
                        }
                        assertThat(x.getGradient().toFloatArray()).as("op %d, round %d", k, round)
                                .containsOnly(expected[k]);
                    }
                }
            }
        }
    }

    /** Frees unreachable direct buffers and fills fresh small ones with a loud value. */
    private static void reuseFreedNativeMemory() {
        System.gc();
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4 + 4 * (i % 4)).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 4) {
                b.putFloat(1e30f);
            }
            junk.add(b);
        }
        assertThat(junk).hasSize(64);
    }
}
