package dev.dreamoven.dream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
        return DreamSettings.preset("draft").withSize(32).withSteps(40).withCutouts(4).withFrameEvery(0);
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
        DreamResult r = new Dreamer(model).dream(GuidePlan.single(List.of(GuideTarget.of("t", target)), 60),
                small().withMaskedTvWeight(0), 1, listener);
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
}
