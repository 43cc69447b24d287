package dev.dreamoven.lab.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.image.PixelArtMeasures;
import dev.dreamoven.lab.toyworld.ToyPromptSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The plan, the shards and the table, without dreaming. */
class EvaluationTest {

    private static final Evaluation.Config DEFAULT = Evaluation.asAsked("normal");
    private static final Evaluation.Config OTHER = new Evaluation.Config("other", "draft", UnaryOperator.identity(),
            DreamRequest.Mode.NORMAL);
    private static final Evaluation.PromptGroup SINGLE = new Evaluation.PromptGroup("single shape",
            ToyPromptSet.SINGLE_SHAPE);
    private static final Evaluation.PromptGroup TWO = new Evaluation.PromptGroup("two shapes", ToyPromptSet.TWO_SHAPES);

    private static int seedsFor96(Evaluation.PromptGroup g) {
        return (96 + g.prompts().size() - 1) / g.prompts().size();
    }

    @Test
    void theDefaultPlanHasAtLeast96DreamsARowAndRunsAConfigAndGroupOnce() {
        Evaluation e = new Evaluation(null, null, null, java.util.Optional.empty());
        List<Evaluation.Job> jobs = e.plan(List.of(new Evaluation.Part(DEFAULT, List.of(SINGLE, TWO)),
                new Evaluation.Part(DEFAULT, List.of(SINGLE)), new Evaluation.Part(OTHER, List.of(TWO))),
                EvaluationTest::seedsFor96);
        assertThat(jobs.stream().filter(j -> j.config() == DEFAULT && j.group() == SINGLE)).hasSize(96); // 12 × 8
        assertThat(jobs.stream().filter(j -> j.config() == DEFAULT && j.group() == TWO)).hasSize(96); // 8 × 12
        assertThat(jobs.stream().filter(j -> j.config() == OTHER)).hasSize(96);
        assertThat(jobs).hasSize(288);
        for (int i = 0; i < jobs.size(); i++) {
            assertThat(jobs.get(i).index()).isEqualTo(i);
        }
    }

    @Test
    void shardsSplitThePlanIntoDisjointSharesOfEveryRow() {
        Evaluation e = new Evaluation(null, null, null, java.util.Optional.empty());
        List<Evaluation.Job> jobs = e.plan(List.of(new Evaluation.Part(DEFAULT, List.of(SINGLE, TWO))),
                EvaluationTest::seedsFor96);
        List<Evaluation.Job> all = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            List<Evaluation.Job> shard = Evaluation.shard(jobs, i, 3);
            assertThat(shard).hasSize(64);
            assertThat(shard.stream().filter(j -> j.group() == TWO)).hasSize(32);
            all.addAll(shard);
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(jobs);
    }

    @Test
    void aRowCountsJudgedAndColourRightDreamsWithTheStandardErrorAndTheWorstPixelArt() {
        List<Evaluation.Dream> dreams = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            dreams.add(new Evaluation.Dream(i, "default", "single shape", "a red circle", i + 1, "normal", i < 20,
                    i < 90, 0.5 + i / 1000.0, i % 2 == 0 ? 0.25 : Double.NaN, "",
                    new PixelArtMeasures(2 + i % 7, i / 1000.0, 1 - i / 500.0)));
        }
        Evaluation.Row row = Evaluation.table(dreams).get(0);
        assertThat(row.dreams()).isEqualTo(100);
        assertThat(row.fidelity()).isEqualTo(0.2);
        assertThat(row.standardError()).isCloseTo(0.04, within(1e-12)); // √(0.2·0.8/100)
        assertThat(row.coloursRate()).isEqualTo(0.9);
        assertThat(row.meanSimilarity()).isCloseTo(0.5495, within(1e-9));
        assertThat(row.meanEvaluatorSimilarity()).isEqualTo(0.25);
        assertThat(row.maxColours()).isEqualTo(8);
        assertThat(row.maxIsolated()).isEqualTo(0.099);
        assertThat(row.minAlike()).isCloseTo(1 - 99 / 500.0, within(1e-12));
        String table = EvalCommand.table(List.of(row));
        assertThat(table).contains("| default | single shape | 100 | 20.0% ± 4.0 | 90.0% | 0.5495 | 0.2500 | 8 | 9.9% | 80.2% |");
    }

    @Test
    void withoutAnEvaluatorItsColumnIsLeftOut() {
        Evaluation.Row row = new Evaluation.Row("default", "two shapes", 4, 1, 2, 0.7, Double.NaN, 3, 0, 1,
                java.util.Map.of("normal", 4));
        assertThat(EvalCommand.table(List.of(row))).doesNotContain("evaluator").contains("| 25.0% ± 21.7 | 50.0% |");
    }

    @Test
    void ablationsSwitchOffThePixelRegularizerOfAFreePixelPresetAndLeaveTheLayeredDrawingAlone() {
        assertThat(Evaluation.ablations("pixels")).extracting(Evaluation.Config::name).containsExactly("no masked TV",
                "no augmentation");
        assertThat(Evaluation.ablations("normal")).isEmpty();
    }
}
