package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.dreamoven.image.PngFiles;
import dev.dreamoven.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clip embed} and {@code dream} take a ResNet CLIP checkpoint as they take a ViT one. */
class ResNetClipCommandTest {

    @TempDir
    Path tmp;

    private static String checkpoint() {
        return SharedFixtures.require("clip-golden-rn/tiny-rn-clip.pt").toString();
    }

    private static String vocab() {
        return SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz").toString();
    }

    @Test
    void embedPrintsTheGoldenTextAndImageEmbeddingsOfTheResNet() throws Exception {
        JsonObject golden = new Gson().fromJson(
                Files.readString(SharedFixtures.require("clip-golden-rn/golden-rn.json")), JsonObject.class);
        String[] captions = new Gson().fromJson(golden.get("captions"), String[].class);
        List<String> args = new ArrayList<>(List.of("clip", "embed", "--checkpoint", checkpoint(), "--vocab", vocab(),
                "--raw-images", SharedFixtures.require("clip-golden-rn/images-rn.f32").toString(), "--count", "2"));
        for (String c : captions) {
            args.add("--text");
            args.add(c);
        }

        ClipCommandTest.Run r = ClipCommandTest.run(args.toArray(String[]::new));

        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject printed = new Gson().fromJson(r.out(), JsonObject.class);
        assertClose(new Gson().fromJson(printed.get("text"), float[][].class),
                new Gson().fromJson(golden.get("text_embeddings"), float[][].class));
        assertClose(new Gson().fromJson(printed.get("image"), float[][].class),
                new Gson().fromJson(golden.get("image_embeddings"), float[][].class));
    }

    @Test
    void aDreamGuidedByTheResNetWritesItsPng() throws Exception {
        Path config = Files.writeString(tmp.resolve("test.properties"),
                "store.database=" + tmp.resolve("d.db").toString().replace('\\', '/') + "\n"
                        + "store.baked=" + tmp.resolve("baked").toString().replace('\\', '/') + "\n");
        Path out = tmp.resolve("rn.png");

        ClipCommandTest.Run r = ClipCommandTest.run("--config", config.toString(), "--threads", "1", "dream",
                "a red circle", "--size", "16", "--steps", "4", "--seed", "3", "--preset", "draft", "--scale", "2",
                "--out", out.toString(), "--checkpoint", checkpoint(), "--vocab", vocab());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().strip().lines().reduce((x, y) -> y).orElseThrow())
                .matches("dream: .*rn\\.png similarity -?[0-9.]+ in [0-9.]+ s");
        assertThat(PngFiles.read(out).width()).isEqualTo(32);
        assertThat(PngFiles.readText(out)).containsEntry("prompt", "a red circle").containsEntry("seed", "3");
    }

    private static void assertClose(float[][] actual, float[][] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).containsExactly(expected[i], Offset.offset(1e-5f));
        }
    }
}
