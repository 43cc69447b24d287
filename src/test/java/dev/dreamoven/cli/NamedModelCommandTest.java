package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.clip.Downloads;
import dev.dreamoven.image.PngFiles;
import dev.dreamoven.testing.CheckpointServer;
import dev.dreamoven.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dream --model NAME} and ensembles from a clean cache against a local download server that
 * serves the tiny golden checkpoints under two extra names ({@code model.extra-models}), as
 * OpenAI's server serves the real ones.
 */
class NamedModelCommandTest {

    @TempDir
    Path tmp;

    private CheckpointServer server;
    private Path config;

    @BeforeEach
    void serveTheTinyCheckpoints() throws Exception {
        Path vit = SharedFixtures.require("clip-golden/tiny-clip.pt");
        Path rn = SharedFixtures.require("clip-golden-rn/tiny-rn-clip.pt");
        String vitSha = Downloads.sha256(vit);
        String rnSha = Downloads.sha256(rn);
        server = new CheckpointServer().serve(vitSha + "/tiny-clip.pt", vit).serve(rnSha + "/tiny-rn-clip.pt", rn)
                .serve("vocab/bpe_simple_vocab_16e6.txt.gz",
                        SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz"));
        config = Files.writeString(tmp.resolve("test.properties"), String.join("\n",
                "store.database=" + slashes(tmp.resolve("d.db")),
                "store.baked=" + slashes(tmp.resolve("baked")),
                "model.cache=" + slashes(tmp.resolve("cache")),
                "model.download-url=" + server.baseUrl(),
                "model.vocab-url=" + server.baseUrl() + "vocab/bpe_simple_vocab_16e6.txt.gz",
                "model.extra-models=tiny-ViT=" + vitSha + "/tiny-clip.pt, tiny-RN=" + rnSha + "/tiny-rn-clip.pt",
                ""));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }

    private ClipCommandTest.Run dream(String prompt, String model, Path out, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--config", config.toString(),
                "--threads", "1", "dream", prompt, "--size", "16", "--steps", "3", "--seed", "5", "--preset", "draft",
                "--scale", "1", "--out", out.toString(), "--model", model));
        args.addAll(java.util.List.of(more));
        return ClipCommandTest.run(args.toArray(String[]::new));
    }

    @Test
    void aNamedModelIsDownloadedOnFirstUseAndGuidesTheDream() throws Exception {
        Path out = tmp.resolve("rn.png");

        ClipCommandTest.Run r = dream("a red circle", "tiny-RN", out);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(tmp.resolve("cache/tiny-rn-clip.pt")).exists();
        assertThat(tmp.resolve("cache/bpe_simple_vocab_16e6.txt.gz")).exists();
        assertThat(PngFiles.readText(out)).containsEntry("model", "tiny-rn-clip");
        assertThat(server.requests()).hasSize(2); // the checkpoint and the vocabulary, once each
    }

    @Test
    void anEnsembleDreamNamesBothModelsInItsMetadataAndSummary() throws Exception {
        Path out = tmp.resolve("ensemble.png");

        ClipCommandTest.Run r = dream("a red circle", "tiny-ViT,tiny-RN:0.5", out);

        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, String> text = PngFiles.readText(out);
        assertThat(text).containsEntry("model", "tiny-clip+tiny-rn-clip:0.5")
                .containsEntry("models", "tiny-clip (weight 0.667), tiny-rn-clip (weight 0.333)");
        assertThat(r.err()).contains("guided by tiny-clip+tiny-rn-clip:0.5");
    }

    @Test
    void theShippedModelsBakedPathsAreNotServedToAnotherModel() throws Exception {
        // "a red circle" is baked for the shipped model; the ensemble has no path of its own.
        ClipCommandTest.Run auto = dream("a red circle", "tiny-ViT,tiny-RN", tmp.resolve("auto.png"));
        ClipCommandTest.Run microwave = dream("a red circle", "tiny-ViT,tiny-RN", tmp.resolve("mw.png"), "--mode",
                "microwave");

        assertThat(auto.exit()).as(auto.err()).isZero();
        assertThat(PngFiles.readText(tmp.resolve("auto.png")).get("mode")).startsWith("normal");
        assertThat(microwave.exit()).isEqualTo(2);
        assertThat(microwave.err()).contains("'a red circle' has not been baked for model tiny-clip+tiny-rn-clip");
    }

    @Test
    void clipEmbedTakesTheDownloadedModelByNameAsItTakesTheFile() throws Exception {
        ClipCommandTest.Run byName = ClipCommandTest.run("--config", config.toString(), "clip", "embed", "--model",
                "tiny-RN", "--text", "a red circle");
        ClipCommandTest.Run byFile = ClipCommandTest.run("--config", config.toString(), "clip", "embed",
                "--checkpoint", tmp.resolve("cache/tiny-rn-clip.pt").toString(), "--text", "a red circle");

        assertThat(byName.exit()).as(byName.err()).isZero();
        assertThat(byFile.exit()).as(byFile.err()).isZero(); // the cached file, OpenAI's vocabulary from the cache
        assertThat(byFile.out()).isEqualTo(byName.out());
    }

    @Test
    void clipTokenizeForAConfiguredNamedModelUsesOpenAisVocabulary() throws Exception {
        Files.writeString(config, "model.name=tiny-RN\n", java.nio.file.StandardOpenOption.APPEND);

        ClipCommandTest.Run r = ClipCommandTest.run("--config", config.toString(), "clip", "tokenize", "a tulip on a rock");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("[49406,320,28389,525,320,2172,49407,0,"); // as golden.json
    }

    @Test
    void anUnknownNameIsRefusedBeforeAnythingLoads() {
        ClipCommandTest.Run r = dream("a red circle", "ViT-Q/99", tmp.resolve("x.png"));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown model 'ViT-Q/99': use shapes, RN50").contains("tiny-RN");
        assertThat(server.requests()).isEmpty();
    }
}
