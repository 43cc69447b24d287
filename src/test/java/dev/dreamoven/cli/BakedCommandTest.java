package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.app.Main;
import dev.dreamoven.bake.BakedPath;
import dev.dreamoven.testing.SharedFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BakedCommandTest {

    @TempDir
    Path dir;
    StringWriter out;
    StringWriter err;

    /** Every run opens the same database and baked folder in the test's folder, as separate processes would. */
    private Map<String, String> environment() {
        return Map.of("DREAMOVEN_STORE_BAKED", dir.resolve("baked").toString(),
                "DREAMOVEN_STORE_DATABASE", dir.resolve("dream.db").toString());
    }

    private int run(CommandLine cl, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private int baked(String... args) {
        return run(Main.commandLine(environment()), args);
    }

    private int importSeeds(Path... files) {
        String[] args = new String[files.length + 2];
        args[0] = "bake";
        args[1] = "import";
        for (int i = 0; i < files.length; i++) {
            args[i + 2] = files[i].toString();
        }
        return run(Main.commandLine(environment()), args);
    }

    @Test
    void importListShowDelete() {
        Path seeds = SharedFixtures.require("seed-baked");
        assertThat(importSeeds(seeds.resolve("a_lemon.pt"), seeds.resolve("a_road_sign_with_the_word_'Hello'_on_it.pt")))
                .isZero();
        String lemonId = BakedPath.idFor("ViT-B-32", "a lemon");
        assertThat(out.toString()).contains("imported " + lemonId + "  a lemon", "2 imported into");

        assertThat(baked("baked", "list")).isZero();
        assertThat(out.toString()).contains(lemonId, "ViT-B-32", "10x512", "a road sign with the word 'Hello' on it");
        assertThat(baked("baked", "list", "--model", "shapes")).isZero();
        assertThat(out.toString()).contains("no baked paths for model shapes");

        assertThat(baked("baked", "show", lemonId.substring(0, 6))).isZero();
        assertThat(out.toString()).contains("prompt:     a lemon", "model:      ViT-B-32", "stages:     10 x 512",
                "resolution: 128 px", "score:      -", "author:     original bake.py", "embedding:  missing",
                dir.resolve("baked").toAbsolutePath().toString());

        assertThat(baked("baked", "delete", lemonId)).isZero();
        assertThat(out.toString()).contains("deleted " + lemonId);
        assertThat(baked("baked", "show", lemonId)).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(err.toString()).contains("no baked path with id \"" + lemonId + "\"");
        assertThat(baked("baked", "list")).isZero();
        assertThat(out.toString()).doesNotContain("a lemon").contains("Hello");
    }

    @Test
    void importingAgainReplacesAndBadFilesAreReportedOneLineEach() throws Exception {
        Path lemon = SharedFixtures.require("seed-baked/a_lemon.pt");
        Path bad = dir.resolve("broken.pt");
        Files.writeString(bad, "not a zip");
        assertThat(importSeeds(lemon)).isZero();
        assertThat(importSeeds(lemon, bad)).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(out.toString()).contains("replaced ", "1 imported", "1 refused");
        assertThat(err.toString().strip()).startsWith("import: broken.pt: not a torch.save archive").doesNotContain("\n");
    }

    @Test
    void aNewFolderStartsWithTheShippedBakedPaths() {
        assertThat(baked("baked", "list")).isZero();
        assertThat(out.toString()).contains("a red circle", "a blue triangle").doesNotContain("no baked paths");
        assertThat(baked("baked", "delete", "0123456789abcdef")).isEqualTo(Main.EXIT_BAD_INPUT);
    }
}
