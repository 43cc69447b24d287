package dev.dreamoven.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dreamoven.image.PixelArtMeasures;
import dev.dreamoven.lab.eval.Evaluation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's arithmetic on made-up dreams: points, standard errors, the speed-up and the verdicts. */
class BakeBenchmarkTest {

    final BakeBenchmark benchmark = new BakeBenchmark();
    final List<Evaluation.Dream> dreams = new ArrayList<>();

    BakeBenchmarkTest() {
        benchmark.parts(List.of(15, 60, 250), "normal", new Evaluation.PromptGroup(BakeBenchmark.BAKED, List.of("a")),
                new Evaluation.PromptGroup(BakeBenchmark.UNSEEN, List.of("b")));
    }

    /** Four dreams of a point, {@code passed} of them judged right, guide similarity {@code similarity} ± 0.01. */
    void point(String group, String mode, int steps, int passed, double similarity) {
        for (int i = 0; i < 4; i++) {
            dreams.add(new Evaluation.Dream(dreams.size(), mode + " @" + steps, group, "a", i + 1, mode, i < passed,
                    true, similarity + (i % 2 == 0 ? 0.01 : -0.01), Double.NaN, "", new PixelArtMeasures(4, 0, 1)));
        }
    }

    @Test
    void aPointHasTheJudgedRateAndTheMeanSimilarityEachWithItsStandardError() {
        point(BakeBenchmark.BAKED, "normal", 15, 1, 0.30);
        BakeBenchmark.Point p = benchmark.points(dreams).get(0);
        assertThat(p.dreams()).isEqualTo(4);
        assertThat(p.fidelity()).isEqualTo(0.25);
        assertThat(p.fidelityError()).isCloseTo(Math.sqrt(0.25 * 0.75 / 4), within(1e-12));
        assertThat(p.similarity()).isCloseTo(0.30, within(1e-12));
        // sample deviation √(4·0.0001/3), over √4
        assertThat(p.similarityError()).isCloseTo(Math.sqrt(0.0004 / 3) / 2, within(1e-12));
        assertThat(p.evaluatorSimilarity()).isNaN();
        assertThat(p.modesUsed()).containsExactly(org.assertj.core.api.Assertions.entry("normal", 4));
        assertThat(BakeBenchmark.table(List.of(p))).endsWith("| baked | normal | 15 | 4 | 25.0% ± 21.7 | 0.3000 ± 0.0058 | 4 normal |\n");
    }

    @Test
    void theSpeedUpIsNormalsFullBudgetOverTheFirstBudgetAtWhichMicrowaveGetsAsFar() {
        point(BakeBenchmark.BAKED, "normal", 15, 0, 0.20);
        point(BakeBenchmark.BAKED, "normal", 60, 1, 0.25);
        point(BakeBenchmark.BAKED, "normal", 250, 2, 0.30);
        point(BakeBenchmark.BAKED, "microwave", 15, 1, 0.28);
        point(BakeBenchmark.BAKED, "microwave", 60, 2, 0.31);
        point(BakeBenchmark.BAKED, "microwave", 250, 3, 0.33);
        List<BakeBenchmark.Point> points = benchmark.points(dreams);
        BakeBenchmark.SpeedUp judged = BakeBenchmark.speedUp(points, BakeBenchmark.BAKED, BakeBenchmark.Mode.MICROWAVE,
                BakeBenchmark.Point::fidelity).orElseThrow();
        assertThat(judged.target()).isEqualTo(0.5);
        assertThat(judged.reachedAt()).hasValue(60);
        assertThat(judged.factor()).isCloseTo(250 / 60.0, within(1e-12));
        assertThat(BakeBenchmark.verdicts(points))
                .contains("speed-up (judged): normal reaches 50.0% at 250 steps on baked prompts; microwave reaches it "
                        + "at 60 steps: 4.2x fewer steps")
                .contains("speed-up (guide similarity): normal reaches 0.3000 at 250 steps on baked prompts; microwave "
                        + "reaches it at 60 steps: 4.2x fewer steps");
    }

    @Test
    void noSpeedUpIsClaimedWhereNormalIsNeverJudgedRightOrMicrowaveNeverGetsThere() {
        point(BakeBenchmark.BAKED, "normal", 250, 0, 0.30);
        point(BakeBenchmark.BAKED, "microwave", 15, 0, 0.20);
        point(BakeBenchmark.BAKED, "microwave", 250, 0, 0.29);
        String verdicts = BakeBenchmark.verdicts(benchmark.points(dreams));
        assertThat(verdicts).contains("speed-up (judged): none can be read: normal is judged right in 0% of "
                + "baked-prompt dreams at 250 steps")
                .contains("microwave does not reach it at any budget measured");
    }

    @Test
    void autoMicrowaveIsWorseOnlyWhenBelowNormalByMoreThanOneStandardError() {
        point(BakeBenchmark.UNSEEN, "normal", 15, 2, 0.3);
        point(BakeBenchmark.UNSEEN, "auto-microwave", 15, 1, 0.3);
        point(BakeBenchmark.UNSEEN, "normal", 60, 4, 0.3);
        point(BakeBenchmark.UNSEEN, "auto-microwave", 60, 0, 0.3);
        String verdicts = BakeBenchmark.verdicts(benchmark.points(dreams));
        assertThat(verdicts).contains("unseen prompts at 15 steps: auto-microwave 25.0% vs normal 50.0% "
                + "(difference -25.0 ± 33.1 points): not worse; a baked path was used in 4 of 4 dreams")
                .contains("unseen prompts at 60 steps: auto-microwave 0.0% vs normal 100.0% "
                        + "(difference -100.0 ± 0.0 points): WORSE by more than one standard error");
    }
}
