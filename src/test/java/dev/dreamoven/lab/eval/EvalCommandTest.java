package dev.dreamoven.lab.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.image.PngFiles;
import dev.dreamoven.lab.LabRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval} through the lab's command line with the shipped model and tiny dreams: the table, shards, resuming. */
class EvalCommandTest {

    @TempDir
    static Path dir;

    private static Path prompts;

    @BeforeAll
    static void writePrompts() throws Exception {
        prompts = dir.resolve("prompts.txt");
        Files.writeString(prompts, "# two prompts\na red circle\na blue square left of a yellow cross\n");
    }

    /** Two prompts × 2 seeds, 2 steps each, in the product's own options (preset, size, palette). */
    private static LabRun eval(String... extra) {
        List<String> args = new ArrayList<>(List.of("eval", "--only", "default", "--prompts", prompts.toString(),
                "--seeds", "2", "--steps", "2", "--preset", "draft", "--size", "32",
                "--palette", "#DC2828,#2850DC,#F0DC28,#F5F5F5"));
        args.addAll(List.of(extra));
        return LabRun.run(dir.resolve("state"), args.toArray(String[]::new));
    }

    @Test
    void printsOneRowWithStandardErrorColoursAndPixelArtMeasuresAndWritesItsFiles() throws Exception {
        Path out = dir.resolve("whole");
        LabRun r = eval("--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("| configuration | prompts | dreams | judged | colours right | guide similarity |"
                + " colours (max) | isolated (max) | alike (min) | modes used |");
        assertThat(r.out()).containsPattern("\\| default \\| custom \\| 4 \\| [0-9.]+% ± [0-9.]+ \\| [0-9.]+% \\| [0-9.-]+ \\| "
                + "[1-4] \\| [0-9.]+% \\| [0-9.]+% \\| \\{normal=4\\} \\|");
        assertThat(r.out()).containsPattern("eval: default: custom [0-9.]+% ± [0-9.]+ of 4");
        assertThat(out.resolve("eval.md")).exists();
        assertThat(out.resolve("chart.png")).exists();
        assertThat(out.resolve("sheet.png")).exists();
        assertThat(Files.readAllLines(out.resolve("dreams-1-of-1.jsonl"))).hasSize(4);
        assertThat(PngFiles.read(out.resolve("pictures/00003.png")).width()).as("native size").isEqualTo(32);
    }

    @Test
    void shardsMadeApartMergeIntoTheSameTableAndAStoppedShardResumes() throws Exception {
        Path whole = dir.resolve("reference");
        assertThat(eval("--out", whole.toString()).exit()).isZero();
        LabRun first = eval("--shard", "1/2", "--out", dir.resolve("s1").toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("| default | custom | 2 |", "eval: shard 1/2: 2 dreams in");

        LabRun early = LabRun.run(dir.resolve("state"), "eval", "merge", dir.resolve("s1").toString());
        assertThat(early.exit()).isEqualTo(2);
        assertThat(early.err()).contains("shards missing: [2] of 2");

        assertThat(eval("--shard", "2/2", "--out", dir.resolve("s2").toString()).exit()).isZero();
        Path merged = dir.resolve("merged");
        LabRun merge = LabRun.run(dir.resolve("state"), "eval", "merge", dir.resolve("s1").toString(),
                dir.resolve("s2").toString(), "--out", merged.toString());
        assertThat(merge.exit()).as(merge.err()).isZero();
        assertThat(Files.readString(merged.resolve("eval.md"))).isEqualTo(Files.readString(whole.resolve("eval.md")));
        assertThat(merged.resolve("sheet.png")).exists();

        LabRun again = eval("--shard", "1/2", "--out", dir.resolve("s1").toString());
        assertThat(again.out()).contains("resuming shard 1/2", "2 dreams done, 0 to make");
        LabRun other = eval("--shard", "1/2", "--out", dir.resolve("s1").toString(), "--negative", "a green square");
        assertThat(other.exit()).isEqualTo(2);
        assertThat(other.err()).contains("of another evaluation");
    }

    @Test
    void aHeldOutEvaluatorAddsItsColumn() {
        Path model = LabRun.shippedModelFile(dir);
        LabRun r = eval("--evaluator", model.toString(), "--out", dir.resolve("evaluated").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("| guide similarity | evaluator similarity |")
                .containsPattern("\\| default \\| custom \\| 4 \\|.*\\| 0\\.[0-9]{4} \\| 0\\.[0-9]{4} \\|");
    }

    @Test
    void refusesBadShardsAndPromptsOutsideTheWorldInOneLine() throws Exception {
        LabRun shard = eval("--shard", "3/2");
        assertThat(shard.exit()).isEqualTo(2);
        assertThat(shard.err().strip()).isEqualTo("eval: --shard must be I/N with 1 <= I <= N, got '3/2'");
        Path tulip = dir.resolve("tulip.txt");
        Files.writeString(tulip, "a tulip on a rock\n");
        LabRun r = LabRun.run(dir.resolve("state"), "eval", "--prompts", tulip.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'a tulip on a rock' is not a prompt of the toy world");
        LabRun preset = LabRun.run(dir.resolve("state"), "eval", "--preset", "huge");
        assertThat(preset.exit()).isEqualTo(2);
    }

    @Test
    void helpListsTheProductsDreamOptionsAndTheShards() {
        LabRun r = LabRun.run(dir.resolve("state"), "eval", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--palette", "--preset", "--steps", "--negative", "--checkpoint", "--shard",
                "--evaluator", "--dreams", "merge");
    }

    @Test
    void noFilesAreLeftBehindByARefusal() throws Exception {
        Path out = dir.resolve("refused");
        eval("--shard", "0/2", "--out", out.toString());
        assertThat(out).doesNotExist();
    }
}
