package dev.dreamoven.lab.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.testing.Torch;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The near-misses are what they say, and the diagnosis of the shipped model is well formed. */
class ToyDiagnosisTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    private static final ToyWorld WORLD = new ToyWorld();
    private static final ToyJudge JUDGE = new ToyJudge();

    private static Scene scene(ShapeKind kind, ShapeSize size, double x, double y) {
        return new Scene(ToyColour.BLUE, List.of(new ShapeSpec(kind, size, ToyColour.RED, x, y)), Optional.empty());
    }

    @Test
    void eachNearMissIsOffTheTruthInTheWayItsTypeSays() {
        for (Scene scene : List.of(scene(ShapeKind.CIRCLE, ShapeSize.SMALL, 32, 32),
                scene(ShapeKind.TRIANGLE, ShapeSize.BIG, 32, 32), scene(ShapeKind.CROSS, ShapeSize.SMALL, 14, 30),
                scene(ShapeKind.SQUARE, ShapeSize.BIG, 32, 47))) {
            Spec truth = Spec.of(scene, ToyWorld.SIDE, ToyWorld.SIDE);
            List<ToyDiagnosis.NearMiss> misses = ToyDiagnosis.nearMisses(WORLD, scene);
            assertThat(misses).extracting(ToyDiagnosis.NearMiss::type).containsExactly(ToyDiagnosis.Type.OTHER_KIND,
                    ToyDiagnosis.Type.OTHER_KIND, ToyDiagnosis.Type.OTHER_KIND, ToyDiagnosis.Type.TWO_COPIES,
                    ToyDiagnosis.Type.BETWEEN_SIZES, ToyDiagnosis.Type.SHIFTED, ToyDiagnosis.Type.SHIFTED,
                    ToyDiagnosis.Type.SHIFTED, ToyDiagnosis.Type.SHIFTED, ToyDiagnosis.Type.CUT);
            assertThat(JUDGE.judge(WORLD.render(scene), truth).passed()).isTrue();
            for (ToyDiagnosis.NearMiss m : misses) {
                assertThat(m.picture()).isNotEqualTo(WORLD.render(scene));
                Verdict v = JUDGE.judge(m.picture(), truth);
                switch (m.type()) {
                    case OTHER_KIND -> assertThat(String.join(" ", v.reasons())).contains("looks like a " + m.what());
                    case TWO_COPIES -> assertThat(String.join(" ", v.reasons())).contains("1 extra region: red");
                    case CUT -> assertThat(String.join(" ", v.reasons())).contains("cut by the edge");
                    case BETWEEN_SIZES -> assertThat(JUDGE.analyse(m.picture()).regions().get(0).width()).isEqualTo(24);
                    case SHIFTED -> {
                        ToyJudge.Region moved = JUDGE.analyse(m.picture()).regions().get(0);
                        ToyJudge.Region own = JUDGE.analyse(WORLD.render(scene)).regions().get(0);
                        assertThat(Math.abs(moved.centreX() - own.centreX()) + Math.abs(moved.centreY() - own.centreY()))
                                .as("moved 5 px, less where the border cuts it").isBetween(1.0, 5.0);
                    }
                }
            }
        }
    }

    @Test
    void theShippedModelsDiagnosisRanksTheTruthAmongItsNearMissesWithGradientCosines() {
        try (LoadedClip guide = ToyModels.open(null, Optional.empty(), TORCH.manager())) {
            List<ToyDiagnosis.Case> cases = ToyDiagnosis.run(guide, List.of("a red circle", "a small orange square"), 2,
                    TORCH.manager());
            assertThat(cases).hasSize(4);
            for (ToyDiagnosis.Case c : cases) {
                assertThat(c.rank()).isBetween(1, 11);
                assertThat(c.rankAmongWrong()).isBetween(1, c.rank());
                assertThat(c.truth()).isBetween(0.5, 1.0);
                for (double g : c.gradientCosine()) {
                    assertThat(g).isBetween(-1.0, 1.0);
                }
            }
            String report = ToyDiagnosis.report(cases);
            assertThat(report).contains("| a red circle | 2 |", "| other kind | 12 |", "| cut by the edge | 4 |",
                    "diagnose: the truth ranks first in");
            // Measured with the shipped model: another kind beats the truth in 1.4 % of 144 renders, and the
            // gradient there points toward the truth (mean cosine +0.11, positive in 85 %).
            double otherKindGradient = cases.stream().flatMapToDouble(c -> java.util.stream.IntStream
                    .range(0, 3).mapToDouble(i -> c.gradientCosine()[i])).average().orElseThrow();
            assertThat(otherKindGradient).isPositive();
            assertThat(ToyDiagnosis.run(guide, List.of("a red circle"), 1, TORCH.manager()).get(0).similarity())
                    .as("seeded").containsExactly(cases.get(0).similarity());
        }
    }
}
