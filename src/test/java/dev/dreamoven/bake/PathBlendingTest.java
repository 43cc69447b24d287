package dev.dreamoven.bake;

import static dev.dreamoven.bake.BakedPathsForTests.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PathBlendingTest {

    private static BakedPath path(String prompt, float[][] stages) {
        return BakedPath.of(prompt, "shapes", 64, stages, Map.of(), Double.NaN, "t", T0);
    }

    @Test
    void orthogonalVectorsLieAtAQuarterTurn() {
        double d = PathBlending.sphericalDistance(new float[] {1, 0, 0}, new float[] {0, 3, 0});
        assertThat(d).isCloseTo(Math.pow(Math.PI / 2, 2) / 2, within(1e-12)); // θ²/2 with θ = π/2
    }

    @Test
    void distanceIsHalfTheSquaredAngleAndIgnoresLength() {
        // 60°: θ²/2 = (π/3)²/2
        float[] a = {1, 0};
        float[] b = {0.5f, (float) Math.sqrt(3) / 2};
        assertThat(PathBlending.sphericalDistance(a, b)).isCloseTo(Math.pow(Math.PI / 3, 2) / 2, within(1e-6));
        assertThat(PathBlending.sphericalDistance(new float[] {2, 0}, new float[] {-5, 0}))
                .isCloseTo(PathBlending.MAX_DISTANCE, within(1e-12));
        assertThat(PathBlending.sphericalDistance(new float[] {3, 4}, new float[] {6, 8})).isCloseTo(0, within(1e-12));
        assertThatThrownBy(() -> PathBlending.sphericalDistance(new float[] {0, 0}, new float[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathBlending.sphericalDistance(new float[] {1}, new float[] {1, 0}))
                .hasMessageContaining("dimension");
    }

    @Provide
    Arbitrary<float[]> vectors() {
        return Arbitraries.floats().between(-100, 100).array(float[].class).ofSize(4);
    }

    @Property(tries = 300, seed = "42")
    void distanceIsSymmetricAndBounded(@ForAll("vectors") float[] a, @ForAll("vectors") float[] b) {
        if (PathBlending.norm(a) < 1e-3 || PathBlending.norm(b) < 1e-3) {
            return; // zero vectors have no direction
        }
        double ab = PathBlending.sphericalDistance(a, b);
        assertThat(ab).isCloseTo(PathBlending.sphericalDistance(b, a), within(1e-12));
        assertThat(ab).isBetween(0.0, PathBlending.MAX_DISTANCE + 1e-12);
        assertThat(PathBlending.sphericalDistance(a, a)).isCloseTo(0, within(1e-6));
        float[] scaled = a.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 7.5f;
        }
        assertThat(PathBlending.sphericalDistance(scaled, b)).isCloseTo(ab, within(1e-5));
        // θ²/2 against the angle from the dot product
        double cos = 0;
        float[] ua = PathBlending.normalized(a);
        float[] ub = PathBlending.normalized(b);
        for (int i = 0; i < 4; i++) {
            cos += ua[i] * ub[i];
        }
        double theta = Math.acos(Math.max(-1, Math.min(1, cos)));
        assertThat(ab).isCloseTo(theta * theta / 2, within(2e-3));
    }

    @Test
    void autoMicrowaveBlendsTheStageMeanWithThePrompt() {
        BakedPath a = path("a", new float[][] {{1, 0}, {0, 2}});
        BakedPath b = path("b", new float[][] {{3, 0}, {0, 4}});
        float[] prompt = {10, 20};
        float[][] t = PathBlending.autoMicrowave(a, b, prompt, 0.3);
        // stage 0: 0.3·(2, 0) + 0.7·(10, 20) = (7.6, 14); stage 1: 0.3·(0, 3) + 0.7·(10, 20) = (7, 14.9)
        assertThat(t[0]).containsExactly(new float[] {7.6f, 14f}, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(t[1]).containsExactly(new float[] {7f, 14.9f}, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void autoMicrowaveResamplesTheShorterPathByNearestStage() {
        BakedPath a = path("a", new float[][] {{0}, {10}});             // K = 2
        BakedPath b = path("b", new float[][] {{0}, {0}, {0}, {0}, {0}}); // K = 5
        float[][] t = PathBlending.autoMicrowave(a, b, new float[] {0}, 1.0);
        // a resampled to 5: positions 0, .25, .5, .75, 1 → stages 0, 0, 1 (round half up), 1, 1
        assertThat(t).hasDimensions(5, 1);
        assertThat(new float[] {t[0][0], t[1][0], t[2][0], t[3][0], t[4][0]}).containsExactly(0, 0, 5, 5, 5);
        assertThat(PathBlending.resample(new float[][] {{1}, {2}, {3}}, 1)).isDeepEqualTo(new float[][] {{1}});
    }

    @Test
    void spliceTakesEachStageFromOnePathThenBlends() {
        BakedPath a = path("a", new float[][] {{1}, {1}, {1}, {1}, {1}, {1}, {1}, {1}});
        BakedPath b = path("b", new float[][] {{2}, {2}, {2}, {2}, {2}, {2}, {2}, {2}});
        float[][] t = PathBlending.splice(a, b, new float[] {0}, 0.5, new Random(7));
        Random same = new Random(7);
        for (float[] stage : t) {
            assertThat(stage[0]).isEqualTo(same.nextBoolean() ? 0.5f : 1.0f);
        }
        assertThat(java.util.Arrays.stream(t).map(s -> s[0]).distinct()).containsExactlyInAnyOrder(0.5f, 1f);
    }

    @Test
    void lerpWithPromptGoesFromThePathToThePrompt() {
        float[][] stages = {{0, 4}, {2, 2}};
        float[] prompt = {4, 0};
        assertThat(PathBlending.lerpWithPrompt(stages, prompt, 0)).isDeepEqualTo(stages);
        assertThat(PathBlending.lerpWithPrompt(stages, prompt, 1)).isDeepEqualTo(new float[][] {{4, 0}, {4, 0}});
        assertThat(PathBlending.lerpWithPrompt(stages, prompt, 0.25)).isDeepEqualTo(new float[][] {{1, 3}, {2.5f, 1.5f}});
        assertThatThrownBy(() -> PathBlending.lerpWithPrompt(stages, prompt, 1.5)).hasMessageContaining("0..1");
    }

    @Test
    void pathsOfDifferentModelsOrDimensionsAreNotBlended() {
        BakedPath a = path("a", new float[][] {{1, 0}});
        BakedPath other = BakedPath.of("b", "ViT-B-32", 64, new float[][] {{1, 0}}, Map.of(), 0, "t", T0);
        assertThatThrownBy(() -> PathBlending.autoMicrowave(a, other, new float[] {1, 0}, 0.3))
                .hasMessageContaining("different models");
        assertThatThrownBy(() -> PathBlending.autoMicrowave(a, a, new float[] {1, 0, 0}, 0.3))
                .hasMessageContaining("dimensions differ");
        assertThatThrownBy(() -> PathBlending.autoMicrowave(a, a, new float[] {1, 0}, 1.3))
                .hasMessageContaining("path weight");
    }
}
