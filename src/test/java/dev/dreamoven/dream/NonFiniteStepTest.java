package dev.dreamoven.dream;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ScalarOps;
import dev.dreamoven.testing.DelegatingClip;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A single non-finite value in a step must not poison the picture and the final similarity. */
class NonFiniteStepTest {

    private static ProjectionClip model;

    @BeforeAll
    static void start() {
        dev.dreamoven.clip.TorchRuntime.start(1, 1);
        model = new ProjectionClip(32, 7);
    }

    @AfterAll
    static void stop() {
        model.close();
    }

    /** The projection model, except that one image-encoding call returns an infinite embedding. */
    private static final class OneBadStep extends DelegatingClip {
        private final int badCall;
        private int calls;

        OneBadStep(int badCall) {
            super(NonFiniteStepTest.model);
            this.badCall = badCall;
        }

        @Override
        public NDArray encodeImage(NDArray pixels) {
            NDArray out = model.encodeImage(pixels); // [N, D]
            return calls++ == badCall ? ScalarOps.mul(out, Double.POSITIVE_INFINITY) : out;
        }
    }

    @Test
    void aStepWithAnInfiniteEmbeddingIsSkippedAndTheDreamEndsFinite() {
        float[] target = ProjectionClip.randomTarget(3);
        GuidePlan plan = GuidePlan.single(List.of(GuideTarget.of("t", target)), 12);
        DreamSettings s = DreamerTest.small().toBuilder().steps(12).build();
        DreamResult r = new Dreamer(new OneBadStep(4)).dream(plan, s, 1, null,
                dev.dreamoven.image.RgbImage.filled(32, 32, 0.5f, 0.5f, 0.5f));
        for (float v : r.image().data()) {
            assertThat(v).isBetween(0f, 1f);
        }
        assertThat(r.similarity()).isFinite();
    }

    @Test
    void clampingMapsInfinitiesToTheEndsInsteadOfNaN() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray picture = m.create(new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.25f, 2f, -1f});
            PixelCanvas.clampToUnit(picture);
            assertThat(picture.toFloatArray()).containsExactly(1f, 0f, 0.25f, 1f, 0f);
        }
    }

    @Test
    void finitenessCheckFindsNaNAndInfinity() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertThat(Dreamer.allFinite(m.create(new float[] {0f, -3f, 1e30f}))).isTrue();
            assertThat(Dreamer.allFinite(m.create(new float[] {0f, Float.NaN}))).isFalse();
            assertThat(Dreamer.allFinite(m.create(new float[] {Float.NEGATIVE_INFINITY, 1f}))).isFalse();
        }
    }
}
