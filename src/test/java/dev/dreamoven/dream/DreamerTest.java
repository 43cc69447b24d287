package dev.dreamoven.dream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dream loop on a tiny random stand-in for CLIP (real autograd to the pixels). */
class DreamerTest {

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

    static DreamSettings small() {
        return DreamSettings.preset("pixels-draft").toBuilder().size(32).steps(40).cutouts(4).frameEvery(0).build();
    }

    private static GuidePlan toward(float[] target, int steps) {
        return GuidePlan.single(List.of(GuideTarget.of("t", target)), steps);
    }

    @Test
    void theGuidanceLossFallsAndSimilarityRises() {
        float[] target = ProjectionClip.randomTarget(3);
        List<Double> losses = new ArrayList<>();
        List<Double> sims = new ArrayList<>();
        DreamListener listener = new DreamListener() {
            @Override
            public void onStep(DreamProgress p) {
                losses.add(p.loss());
                sims.add(p.similarity());
            }
        };
        DreamResult r = new Dreamer(model).dream(toward(target, 60), small().toBuilder().maskedTv(0).build(), 1, listener);
        double firstLoss = losses.subList(0, 5).stream().mapToDouble(d -> d).average().orElseThrow();
        double lastLoss = losses.subList(55, 60).stream().mapToDouble(d -> d).average().orElseThrow();
        assertThat(lastLoss).isLessThan(firstLoss * 0.8);
        assertThat(r.similarity()).isGreaterThan(sims.get(0) + 0.1);
        assertThat(r.steps()).isEqualTo(60);
        assertThat(r.imageEmbeddingPerStep()).hasNumberOfRows(60);
        assertThat(r.imageEmbeddingPerStep()[0]).hasSize(ProjectionClip.DIM);
        RgbImage img = r.image();
        assertThat(img.width()).isEqualTo(32);
        for (float v : img.data()) {
            assertThat(v).isBetween(0f, 1f);
        }
    }

    @Test
    void theSameSeedGivesTheSamePixelsAndAnotherSeedOthers() {
        float[] target = ProjectionClip.randomTarget(4);
        DreamSettings s = small().toBuilder().steps(20).build();
        Dreamer dreamer = new Dreamer(model);
        DreamResult a = dreamer.dream(toward(target, 20), s, 42, null);
        DreamResult b = dreamer.dream(toward(target, 20), s, 42, null);
        DreamResult c = dreamer.dream(toward(target, 20), s, 43, null);
        assertThat(a.image()).isEqualTo(b.image());
        assertThat(a.similarity()).isEqualTo(b.similarity());
        assertThat(a.image()).isNotEqualTo(c.image());
    }

    @Test
    void octavesEndAtFullSizeAndFramesArePictures() {
        DreamSettings s = small().toBuilder().octaves(3).frameEvery(7).build();
        List<Integer> previewSides = new ArrayList<>();
        DreamResult r = new Dreamer(model).dream(toward(ProjectionClip.randomTarget(5), 30), s, 1, new DreamListener() {
            @Override
            public void onStep(DreamProgress p) {
                if (p.step() % 10 == 1) {
                    previewSides.add(p.preview().get().width());
                }
            }
        });
        assertThat(previewSides).containsOnly(32);
        assertThat(r.image().width()).isEqualTo(32);
        assertThat(r.frames()).hasSize(5); // steps 7, 14, 21, 28 and the final picture
        assertThat(r.frames().get(4)).isEqualTo(r.image());
    }

    private static double tv(RgbImage img) {
        float[] d = img.data();
        int n = img.width();
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    float v = d[(c * n + y) * n + x];
                    if (x + 1 < n) {
                        sum += Math.pow(d[(c * n + y) * n + x + 1] - v, 2);
                    }
                    if (y + 1 < n) {
                        sum += Math.pow(d[(c * n + y + 1) * n + x] - v, 2);
                    }
                }
            }
        }
        return sum;
    }

    /** The statistic of the final picture with and without the regularizer, same seed and target. */
    private static double[] withAndWithout(DreamSettings without, DreamSettings with, ToDoubleFunction<RgbImage> stat) {
        float[] target = ProjectionClip.randomTarget(11);
        Dreamer dreamer = new Dreamer(model);
        double off = stat.applyAsDouble(dreamer.dream(toward(target, 40), without, 5, null).image());
        double on = stat.applyAsDouble(dreamer.dream(toward(target, 40), with, 5, null).image());
        return new double[] {off, on};
    }

    @Test
    void maskedTvLowersTheTotalVariation() {
        DreamSettings none = small().toBuilder().maskedTv(0).octaves(1).build();
        double[] masked = withAndWithout(none, none.toBuilder().maskedTv(5).build(), DreamerTest::tv);
        assertThat(masked[1]).as("masked TV").isLessThan(masked[0] * 0.8);
    }

    @Test
    void selectBestAppliesOneFeaturePerViewAndCountsItsWins() {
        float[] grey = new float[3 * 32 * 32];
        Arrays.fill(grey, 0.5f);
        float[] near = model.embedPicture(grey, 32);
        float[] far = new float[near.length];
        for (int i = 0; i < near.length; i++) {
            far[i] = -near[i];
        }
        GuideTarget details = new GuideTarget("details",
                List.of(new GuideFeature("near", near, 1), new GuideFeature("far", far, 0.5)), true, 0.5, 1, 1);
        // nothing else pulls, so the grey start stays close to "near" and "near" should win most views
        DreamSettings s = small().toBuilder().augmentation(0, 0, 0, false).build();
        DreamResult r = new Dreamer(model).dream(GuidePlan.single(List.of(details), 40), s, 3, null,
                RgbImage.filled(32, 32, 0.5f, 0.5f, 0.5f));
        Map<String, Integer> wins = r.featureWins();
        assertThat(wins).containsOnlyKeys("details/near", "details/far");
        // active for steps 20..39 only: 20 steps × (4 cutouts + the whole view)
        assertThat(wins.get("details/near") + wins.get("details/far")).isEqualTo(20 * 5);
        assertThat(wins.get("details/near")).isGreaterThan(wins.get("details/far"));
    }

    @Test
    void targetsSwitchOnAndOffByRunFraction() {
        float[] a = model.embedPicture(solid(32, 1, 0.1f, 0.1f), 32); // reachable: a red picture
        float[] b = model.embedPicture(solid(32, 0.1f, 0.2f, 1), 32); // and a blue one
        GuideTarget first = new GuideTarget("a", List.of(GuideFeature.of("a", a)), false, 0, 0.5, 1);
        GuideTarget second = new GuideTarget("b", List.of(GuideFeature.of("b", b)), false, 0.5, 1, 1);
        DreamResult r = new Dreamer(model).dream(GuidePlan.single(List.of(first, second), 60),
                small().toBuilder().octaves(1).build(), 2, null);
        float[][] e = r.imageEmbeddingPerStep();
        double aAtStart = SphericalDistanceLoss.cosineOf(e[0], a);
        double bAtStart = SphericalDistanceLoss.cosineOf(e[0], b);
        double aAtHalf = SphericalDistanceLoss.cosineOf(e[29], a);
        double bAtHalf = SphericalDistanceLoss.cosineOf(e[29], b);
        double aAtEnd = SphericalDistanceLoss.cosineOf(e[59], a);
        double bAtEnd = SphericalDistanceLoss.cosineOf(e[59], b);
        // first half: only a pulls; second half: only b
        assertThat(aAtHalf - aAtStart).isGreaterThan(bAtHalf - bAtStart + 0.1);
        assertThat(bAtEnd - bAtHalf).isGreaterThan(aAtEnd - aAtHalf + 0.1);
        assertThat(new GuideTarget("x", List.of(GuideFeature.of("x", a)), false, 0.3, 0.6, 1).activeAt(0.6)).isFalse();
    }

    private static float[] solid(int n, float r, float g, float b) {
        return RgbImage.filled(n, n, r, g, b).data();
    }

    /** Wraps the real optimizer and records the optimizer's age before every step. */
    private static final class Recording implements PixelOptimizer {
        final PixelOptimizer inner;
        final List<Integer> ages = new ArrayList<>();
        int resets;

        Recording(PixelOptimizer inner) {
            this.inner = inner;
        }

        @Override
        public void step(NDArray param, NDArray grad, double lr) {
            ages.add(inner.stepsSinceReset());
            inner.step(param, grad, lr);
        }

        @Override
        public void reset() {
            resets++;
            inner.reset();
        }

        @Override
        public int stepsSinceReset() {
            return inner.stepsSinceReset();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private static Recording stagedRun(boolean reset) {
        List<GuideStage> stages = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            stages.add(new GuideStage(4, List.of(GuideTarget.of("stage " + k, ProjectionClip.randomTarget(30 + k)))));
        }
        Recording[] made = new Recording[1];
        Dreamer dreamer = new Dreamer(model, home -> made[0] = new Recording(PixelOptimizer.create(home)));
        dreamer.dream(new GuidePlan(stages, reset), small().toBuilder().octaves(1).build(), 1, null);
        return made[0];
    }

    @Test
    void aMicrowaveStylePlanResetsTheOptimizerAtEveryStage() {
        Recording reset = stagedRun(true);
        assertThat(reset.ages).containsExactly(0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3);
        assertThat(reset.resets).isEqualTo(2);
        Recording kept = stagedRun(false);
        assertThat(kept.ages).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    @Test
    void cancellingStopsBetweenSteps() {
        int[] seen = new int[1];
        DreamListener cancelAfterThree = new DreamListener() {
            @Override
            public void onStep(DreamProgress p) {
                seen[0] = p.step();
            }

            @Override
            public boolean cancelled() {
                return seen[0] >= 3;
            }
        };
        assertThatThrownBy(() -> new Dreamer(model).dream(toward(ProjectionClip.randomTarget(1), 40), small(), 1,
                cancelAfterThree)).isInstanceOf(DreamCancelledException.class).hasMessageContaining("3 steps");
    }

    @Test
    void theOptimizerDreams() {
        DreamResult r = new Dreamer(model).dream(toward(ProjectionClip.randomTarget(3), 30),
                small().toBuilder().maskedTv(0).build(), 1, null);
        DreamResult start = new Dreamer(model).dream(toward(ProjectionClip.randomTarget(3), 1),
                small().toBuilder().maskedTv(0).build(), 1, null);
        assertThat(r.similarity()).isGreaterThan(start.similarity() + 0.05);
    }

    @Test
    void memoryOfAStepIsReleased() {
        try (NDManager probe = NDManager.newBaseManager()) {
            assertThat(probe.getManagedArrays()).isEmpty();
        }
    }
}
