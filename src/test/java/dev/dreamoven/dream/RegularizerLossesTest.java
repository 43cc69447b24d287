package dev.dreamoven.dream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every loss against values worked out by hand on tiny tensors. */
class RegularizerLossesTest {

    private NDManager m;

    @BeforeAll
    static void torch() {
        dev.dreamoven.clip.TorchRuntime.start(1, 1);
    }

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void sphericalDistanceIsHalfTheSquaredAngle() {
        NDArray x = m.create(new float[] {1, 0, 3, 0}, new Shape(2, 2)); // (1,0) and (3,0) — same direction
        NDArray y = m.create(new float[] {0, 2, 1, 0, -1, 0}, new Shape(3, 2)); // 90°, 0°, 180°
        float[] d = SphericalDistanceLoss.pairwise(x, y).toFloatArray();
        double right = Math.PI * Math.PI / 8; // θ = π/2 → θ²/2
        double opposite = Math.PI * Math.PI / 2;
        assertThat(d[0]).isCloseTo((float) right, within(1e-5f));
        assertThat(d[1]).isCloseTo(0f, within(1e-5f));
        // exactly opposite directions sit on the clamp that keeps the slope finite: a little under π²/2
        assertThat(d[2]).isCloseTo((float) opposite, within(5e-3f));
        assertThat(d[3]).isCloseTo((float) right, within(1e-5f));
        assertThat(SphericalDistanceLoss.of(new float[] {1, 1}, new float[] {1, 0}))
                .isCloseTo(Math.PI * Math.PI / 32, within(1e-9)); // 45°
    }

    @Test
    void sphericalDistanceGradientPullsTowardTheTarget() {
        NDArray x = m.create(new float[] {1, 0}, new Shape(1, 2));
        x.setRequiresGradient(true);
        NDArray y = m.create(new float[] {0, 1}, new Shape(1, 2));
        try (GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            gc.backward(SphericalDistanceLoss.pairwise(x, y).sum());
        }
        float[] g = x.getGradient().toFloatArray();
        // d(θ²/2)/dx at θ = π/2 along the tangent (0, 1) is −θ = −π/2; nothing along x itself
        assertThat(g[0]).isCloseTo(0f, within(1e-5f));
        assertThat(g[1]).isCloseTo((float) (-Math.PI / 2), within(1e-4f));
    }

    private NDArray image(float[] values, int h, int w) {
        return m.create(values, new Shape(1, values.length / (h * w), h, w));
    }

    @Test
    void maskedTotalVariationWeighsEachDifferenceByTheMaskAtItsStart() {
        NDArray img = image(new float[] {0, 1, 3, 5}, 2, 2);
        NDArray mask = m.create(new float[] {0.5f, 1, 0, 1}, new Shape(1, 1, 2, 2));
        // dx²: 1 (row 0, mask 0.5), 4 (row 1, mask 0) → mean 0.25; dy²: 9 (mask .5), 16 (mask 1) → mean 10.25
        assertThat(MaskedTotalVariation.loss(img, mask).getFloat()).isCloseTo(10.5f, within(1e-6f));
    }

    @Test
    void detailMaskIsLowOnARealEdgeAndHighOnIsolatedNoise() {
        int n = 16;
        float[] rgb = new float[3 * n * n];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    rgb[(c * n + y) * n + x] = x < n / 2 ? 0f : 1f; // a vertical edge in the middle
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            rgb[(c * n + 3) * n + 2] = 0.3f; // one noisy pixel in the flat dark half
        }
        float[] mask = MaskedTotalVariation.detailMask(rgb, n, n);
        float edge = mask[5 * n + n / 2];
        float noise = mask[3 * n + 2];
        float flat = mask[12 * n + 13];
        assertThat(edge).isLessThan(0.2f);
        assertThat(noise).isGreaterThan(0.8f);
        assertThat(flat).isEqualTo(1f);
        float[] onDevice = MaskedTotalVariation.mask(m.create(rgb, new Shape(1, 3, n, n))).toFloatArray();
        assertThat(onDevice).containsExactly(mask, within(1e-5f));
    }

    @Test
    void gradientNormalizationGivesUnitStandardDeviation() {
        NDArray g = m.create(new float[] {1, 3, 5, 7}); // std √5
        float[] n = GradientNormalization.apply(g).toFloatArray();
        double s = Math.sqrt(5);
        assertThat(n).containsExactly(new float[] {(float) (1 / s), (float) (3 / s), (float) (5 / s), (float) (7 / s)},
                within(1e-6f));
    }
}
