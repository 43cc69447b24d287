package dev.dreamoven.lab.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.lab.LabRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code toyworld evaluate} and {@code toyworld diagnose} through the lab's command line, with the shipped model. */
class ToyworldCommandTest {

    @TempDir
    static Path dir;

    @Test
    void diagnosePrintsItsTwoTables() throws Exception {
        Path prompts = dir.resolve("p.txt");
        Files.writeString(prompts, "a red circle\na big green cross on a yellow background\n");
        LabRun r = LabRun.run(dir.resolve("state"), "toyworld", "diagnose", "--renders", "1", "--prompts", prompts.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("diagnose shapes-", "2 prompts × 1 renders, each against 10 near-misses",
                "| prompt | renders | rank of the truth | among the wrong ones | margin mean |",
                "| a big green cross on a yellow background | 1 |", "| two copies | 2 |", "| shifted 5 px | 8 |");
        LabRun two = LabRun.run(dir.resolve("state"), "toyworld", "diagnose", "--prompts", write("two.txt",
                "a red circle left of a blue square").toString());
        assertThat(two.exit()).isEqualTo(2);
        assertThat(two.err()).contains("is not a one-shape toy prompt");
    }

    @Test
    void evaluatePrintsTheShapeOnlyGateAndComparesEvalsDreamsWithTrueRenders() throws Exception {
        Path prompts = write("eval.txt", "a red circle\na green square at the bottom\n");
        Path out = dir.resolve("eval");
        LabRun eval = LabRun.run(dir.resolve("state"), "eval", "--only", "default", "--prompts", prompts.toString(),
                "--seeds", "2", "--steps", "2", "--preset", "draft", "--out", out.toString());
        assertThat(eval.exit()).as(eval.err()).isZero();
        LabRun r = LabRun.run(dir.resolve("state"), "toyworld", "evaluate", "--groups", "1", "--scenes", "8",
                "--dreams", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("held-out text→image", "shape only (renders that differ only in kind): small "
                + "text→image", "(8 scenes a size, 4-way); gate >= 90%: ",
                "true renders vs dreams (eval's 'default' dreams in",
                "| prompts | dreams | judged right | true renders | dreams | dreams judged right | dreams judged wrong |",
                "gate (the dreams the judge rejects score below the true renders): ");
        assertThat(r.out()).containsPattern("\\| custom \\| 4 \\| [0-4] \\| 0\\.[0-9]{3} \\| 0\\.[0-9]{3} \\|");
    }

    @Test
    void evaluateWithoutDreamsSaysNothingOfThemAndRefusesAPresetItDoesNotKnow() {
        LabRun r = LabRun.run(dir.resolve("state"), "toyworld", "evaluate", "--groups", "1", "--scenes", "4",
                "--dream-preset", "none");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("shape only").doesNotContain("true renders vs dreams");
        LabRun bad = LabRun.run(dir.resolve("state"), "toyworld", "evaluate", "--dream-preset", "huge");
        assertThat(bad.exit()).isEqualTo(2);
    }

    @Test
    @Tag("slow")
    void evaluateDreamsTheEvaluationPromptsWithAPresetWhenGivenNoDreams() {
        LabRun r = LabRun.run(dir.resolve("state"), "toyworld", "evaluate", "--groups", "1", "--scenes", "8");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("true renders vs dreams (draft dreams made here, 1 a prompt;", "| single shape | 12 |",
                "| two shapes | 8 |");
    }

    @Test
    void helpNamesTheGates() {
        LabRun r = LabRun.run(dir.resolve("state"), "toyworld", "evaluate", "--help");
        assertThat(r.out()).contains("shape only", "--dreams", "--dream-preset", "--scenes");
        assertThat(LabRun.run(dir.resolve("state"), "toyworld", "diagnose", "--help").out())
                .contains("near-misses", "--model", "--renders");
    }

    private static Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }
}
