package dev.dreamoven.lab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.lab.LabRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench bake} through the lab's command line on the shipped model and its baked paths, with tiny numbers. */
class BenchBakeCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsAPointPerGroupModeAndBudgetTheVerdictsAndWritesTheCharts() throws Exception {
        Path out = dir.resolve("report");
        // 2 prompts a group, 1 dream a prompt, budgets 10 and 12: 16 dreams of 16 px.
        LabRun r = LabRun.run(dir.resolve("state"), "bench", "bake", "--budgets", "12,10", "--dreams", "1",
                "--prompts", "2", "--preset", "draft", "--size", "16", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("| prompts | mode | steps | dreams | judged | guide similarity | rendered as |")
                .containsPattern("\\| baked \\| normal \\| 10 \\| 2 \\| [0-9.]+% ± [0-9.]+ \\| [0-9.-]+ ± [0-9.]+ \\|")
                .containsPattern("\\| baked \\| microwave \\| 12 \\| 2 \\|.* \\| 2 microwave \\|")
                .containsPattern("\\| unseen \\| normal \\| 12 \\| 2 \\|")
                .containsPattern("\\| unseen \\| auto-microwave \\| 10 \\| 2 \\|")
                .contains("speed-up (guide similarity): normal reaches")
                .containsPattern("unseen prompts at 10 steps: auto-microwave [0-9.]+% vs normal [0-9.]+%")
                .contains("bench bake: 16 dreams");
        assertThat(out.resolve("bench-bake.md")).exists();
        assertThat(out.resolve("chart.png")).exists();
        assertThat(out.resolve("similarity.png")).exists();
        assertThat(Files.readAllLines(out.resolve("dreams-1-of-1.jsonl"))).hasSize(16);

        LabRun again = LabRun.run(dir.resolve("state"), "bench", "bake", "--budgets", "12,10", "--dreams", "1",
                "--prompts", "2", "--preset", "draft", "--size", "16", "--out", out.toString());
        assertThat(again.out()).as("nothing is dreamed twice").contains("16 dreams done, 0 to make");
    }

    @Test
    void aBudgetBelowTheStageCountIsRefusedBeforeAnyDream() {
        LabRun r = LabRun.run(dir.resolve("state"), "bench", "bake", "--budgets", "5,30", "--out",
                dir.resolve("x").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--budgets must be at least 10");
    }
}
