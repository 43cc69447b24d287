package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.dreamoven.testing.Torch;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** BatchNorm2d against its formula, in both forms, computed here in double precision. */
class BatchNorm2dTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    private static final int N = 3;
    private static final int C = 2;
    private static final int HW = 4; // 2 x 2

    private static float[] random(int n, long seed, double scale, double shift) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale + shift);
        }
        return v;
    }

    private final float[] x = random(N * C * HW, 1, 2, 0.5);
    private final float[] weight = {1.5f, -0.5f};
    private final float[] bias = {0.25f, 2f};
    private final float[] mean = {0.1f, -0.3f};
    private final float[] var = {0.8f, 2.5f};

    private double at(int n, int c, int i) {
        return x[(n * C + c) * HW + i];
    }

    @Test
    void inferenceNormalizesByTheRunningStatisticsAndLeavesThem() {
        try (NDManager m = TORCH.manager().newSubManager()) {
            NDArray running = m.create(mean);
            BatchNorm2d bn = new BatchNorm2d(m.create(weight), m.create(bias), running, m.create(var));
            NDArray input = m.create(x, new Shape(N, C, 2, 2));
            float[] y = bn.inference(input).toFloatArray();

            for (int n = 0; n < N; n++) {
                for (int c = 0; c < C; c++) {
                    for (int i = 0; i < HW; i++) {
                        double expected = (at(n, c, i) - mean[c]) / Math.sqrt(var[c] + 1e-5) * weight[c] + bias[c];
                        assertThat(y[(n * C + c) * HW + i]).isCloseTo((float) expected, Offset.offset(1e-5f));
                    }
                }
            }
            assertThat(running.toFloatArray()).containsExactly(mean);
        }
    }

    @Test
    void trainingNormalizesByTheBatchAndMovesTheRunningStatistics() {
        try (NDManager m = TORCH.manager().newSubManager()) {
            NDArray runningMean = m.create(mean);
            NDArray runningVar = m.create(var);
            BatchNorm2d bn = new BatchNorm2d(m.create(weight), m.create(bias), runningMean, runningVar);
            NDArray input = m.create(x, new Shape(N, C, 2, 2));
            input.setRequiresGradient(true);
            float[] y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = bn.training(input, 0.1);
                y = out.toFloatArray();
                gc.backward(out.square().sum());
            }

            int count = N * HW;
            for (int c = 0; c < C; c++) {
                double sum = 0;
                for (int n = 0; n < N; n++) {
                    for (int i = 0; i < HW; i++) {
                        sum += at(n, c, i);
                    }
                }
                double mu = sum / count;
                double sq = 0;
                for (int n = 0; n < N; n++) {
                    for (int i = 0; i < HW; i++) {
                        sq += (at(n, c, i) - mu) * (at(n, c, i) - mu);
                    }
                }
                for (int n = 0; n < N; n++) {
                    for (int i = 0; i < HW; i++) {
                        double expected = (at(n, c, i) - mu) / Math.sqrt(sq / count + 1e-5) * weight[c] + bias[c];
                        assertThat(y[(n * C + c) * HW + i]).isCloseTo((float) expected, Offset.offset(1e-5f));
                    }
                }
                assertThat(runningMean.toFloatArray()[c]).isCloseTo((float) (0.9 * mean[c] + 0.1 * mu),
                        Offset.offset(1e-6f));
                assertThat(runningVar.toFloatArray()[c]).isCloseTo((float) (0.9 * var[c] + 0.1 * sq / (count - 1)),
                        Offset.offset(1e-6f));
            }
            assertThat(input.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
            assertThat(runningMean.hasGradient()).isFalse();
        }
    }

    @Test
    void stateDictKeysSplitIntoParametersAndBuffers() {
        java.util.Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
        BatchNorm2d.shapes(shapes, "visual.bn1", 8);
        assertThat(shapes.keySet()).containsExactly("visual.bn1.weight", "visual.bn1.bias", "visual.bn1.running_mean",
                "visual.bn1.running_var");
        assertThat(shapes.keySet().stream().filter(BatchNorm2d::isBuffer))
                .containsExactly("visual.bn1.running_mean", "visual.bn1.running_var");
    }
}
