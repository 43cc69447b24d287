package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.dreamoven.app.Main;
import dev.dreamoven.testing.SharedFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code clip tokenize} and {@code clip embed} reproduce golden.json through the real command line. */
class ClipCommandTest {

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine(Map.of());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static JsonObject golden() throws Exception {
        return new Gson().fromJson(Files.readString(SharedFixtures.require("clip-golden/golden.json")), JsonObject.class);
    }

    static String vocab() {
        return SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz").toString();
    }

    @Test
    void tokenizePrintsTheGoldenIdsOneLinePerText() throws Exception {
        JsonObject golden = golden();
        String[] captions = new Gson().fromJson(golden.get("captions"), String[].class);
        int[][] tokens = new Gson().fromJson(golden.get("tokens"), int[][].class);
        List<String> args = new ArrayList<>(List.of("clip", "tokenize", "--vocab", vocab()));
        args.addAll(List.of(captions));

        Run r = run(args.toArray(String[]::new));

        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().strip().split("\n");
        assertThat(lines).hasSize(captions.length);
        for (int i = 0; i < lines.length; i++) {
            assertThat(new Gson().fromJson(lines[i], int[].class)).containsExactly(tokens[i]);
        }
    }

    @Test
    void tokenizeRefusesATooLongTextWithOneLineAndExitTwoUnlessTruncating() {
        String longText = "blue ".repeat(100);
        Run refused = run("clip", "tokenize", "--vocab", vocab(), longText);
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err().strip()).contains("102 tokens").contains("77").doesNotContain("\n");

        Run cut = run("clip", "tokenize", "--vocab", vocab(), "--truncate", longText);
        assertThat(cut.exit()).isZero();
        int[] ids = new Gson().fromJson(cut.out().strip(), int[].class);
        assertThat(ids).hasSize(77);
        assertThat(ids[76]).isEqualTo(49407);
    }

    @Test
    void embedPrintsTheGoldenTextAndImageEmbeddings() throws Exception {
        JsonObject golden = golden();
        String[] captions = new Gson().fromJson(golden.get("captions"), String[].class);
        List<String> args = new ArrayList<>(List.of("clip", "embed",
                "--checkpoint", SharedFixtures.require("clip-golden/tiny-clip.pt").toString(), "--vocab", vocab(),
                "--raw-images", SharedFixtures.require("clip-golden/images.f32").toString(), "--count", "2"));
        for (String c : captions) {
            args.add("--text");
            args.add(c);
        }

        Run r = run(args.toArray(String[]::new));

        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject printed = new Gson().fromJson(r.out(), JsonObject.class);
        assertClose(new Gson().fromJson(printed.get("text"), float[][].class),
                new Gson().fromJson(golden.get("text_embeddings"), float[][].class));
        assertClose(new Gson().fromJson(printed.get("image"), float[][].class),
                new Gson().fromJson(golden.get("image_embeddings"), float[][].class));
    }

    @Test
    void embedWithABadCheckpointSaysSoInOneLine() throws Exception {
        Path junk = Files.writeString(tmp.resolve("junk.pt"), "not a model");
        Run missing = run("clip", "embed", "--checkpoint", tmp.resolve("ViT-B-32.pt").toString(),
                "--vocab", vocab(), "--text", "a cat");
        Run corrupt = run("clip", "embed", "--checkpoint", junk.toString(), "--vocab", vocab(), "--text", "a cat");
        // Without --vocab OpenAI's vocabulary is fetched; here from a closed port into an empty cache.
        Path offline = tmp.resolve("offline.properties");
        java.nio.file.Files.writeString(offline, "model.cache=" + tmp.resolve("cache").toString().replace('\\', '/')
                + "\nmodel.vocab-url=http://127.0.0.1:9/bpe_simple_vocab_16e6.txt.gz\n");
        Run noVocab = run("clip", "embed", "--config", offline.toString(), "--checkpoint",
                SharedFixtures.require("clip-golden/tiny-clip.pt").toString(), "--text", "a cat");

        for (Run r : List.of(missing, corrupt, noVocab)) {
            assertThat(r.exit()).as(r.err()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().strip()).startsWith("embed: ").doesNotContain("\n").doesNotContain("Exception");
        }
        assertThat(missing.err()).contains("does not exist");
        assertThat(corrupt.err()).contains("is neither a TorchScript archive").contains("give a CLIP checkpoint");
        assertThat(noVocab.err()).contains("cannot download bpe_simple_vocab_16e6.txt.gz").contains("put it at");
    }

    private static void assertClose(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).containsExactly(expected[i], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }
}
