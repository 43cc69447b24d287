package dev.dreamoven.dream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One or two steps of the optimizer, checked against the update rule worked out by hand. */
class OptimizersTest {

    private NDManager run;

    @BeforeAll
    static void torch() {
        dev.dreamoven.clip.TorchRuntime.start(1, 1);
    }

    @BeforeEach
    void open() {
        run = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        run.close();
    }

    /** Runs one step in a closed scope the way the dreamer does; returns the new parameter values. */
    private float[] step(PixelOptimizer opt, NDArray param, float[] grad, double lr) {
        try (NDManager scope = run.newSubManager()) {
            param.tempAttach(scope);
            opt.step(param, scope.create(grad), lr);
            return param.toFloatArray();
        }
    }

    @Test
    void adamFirstStepMovesEveryValueByTheLearningRateAgainstTheGradientSign() {
        Adam adam = new Adam(run, 0.9, 0.999, 1e-8);
        NDArray p = run.create(new float[] {0.5f, 0.5f, 0.5f});
        assertThat(step(adam, p, new float[] {2, -0.001f, 0}, 0.1))
                .containsExactly(new float[] {0.4f, 0.6f, 0.5f}, within(1e-5f));
        // second step with gradient 1 on the first value: m = 0.9·0.2 + 0.1 = 0.28 → m̂ = 0.28/0.19;
        // v = 0.999·0.004 + 0.001 = 0.004996 → v̂ = 0.004996/0.001999
        double mHat = 0.28 / 0.19;
        double vHat = 0.004996 / (1 - 0.999 * 0.999);
        float expected = (float) (0.4 - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8));
        assertThat(step(adam, p, new float[] {1, 0, 0}, 0.1)[0]).isCloseTo(expected, within(1e-5f));
        assertThat(adam.stepsSinceReset()).isEqualTo(2);
        adam.reset();
        assertThat(adam.stepsSinceReset()).isZero();
        adam.close();
    }

    @Test
    void cosineScheduleWarmsUpThenFallsToItsFloor() {
        CosineSchedule s = new CosineSchedule(0.1, 102, 2, 0.1);
        assertThat(s.at(0)).isCloseTo(0.05, within(1e-12));
        assertThat(s.at(1)).isCloseTo(0.1, within(1e-12));
        assertThat(s.at(2)).isCloseTo(0.1, within(1e-12));
        // step 51 is 49/99 of the way through the cosine part: 0.01 + 0.09 · (1 + cos(π·49/99)) / 2
        assertThat(s.at(51)).isCloseTo(0.01 + 0.045 * (1 + Math.cos(Math.PI * 49 / 99)), within(1e-12));
        assertThat(s.at(51)).isBetween(0.054, 0.057);
        assertThat(s.at(101)).isCloseTo(0.01, within(1e-12));
    }
}
