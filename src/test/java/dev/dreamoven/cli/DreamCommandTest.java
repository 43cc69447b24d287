package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.image.PngFiles;
import dev.dreamoven.testing.SharedFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dream} on the golden tiny CLIP: files, reproducibility, and refusals of bad input. */
class DreamCommandTest {

    @TempDir
    Path tmp;

    private static List<String> model() {
        return List.of("--checkpoint", SharedFixtures.require("clip-golden/tiny-clip.pt").toString(),
                "--vocab", SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz").toString());
    }

    @TempDir
    static Path state;

    private ClipCommandTest.Run dream(String... args) {
        Path config = state.resolve("test.properties");
        try {
            Files.writeString(config, "store.database=" + state.resolve("d.db").toString().replace('\\', '/') + "\n"
                    + "store.baked=" + state.resolve("baked").toString().replace('\\', '/') + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> all = new ArrayList<>(List.of("--config", config.toString(), "--threads", "1", "dream"));
        all.addAll(List.of(args));
        return ClipCommandTest.run(all.toArray(String[]::new));
    }

    private List<String> quick(String out, String seed) {
        List<String> a = new ArrayList<>(List.of("a red circle", "--size", "16", "--steps", "6", "--seed", seed,
                "--preset", "draft", "--palette", "pico8", "--scale", "2", "--out", tmp.resolve(out).toString()));
        a.addAll(model());
        return a;
    }

    @Test
    void theSameSeedWritesTheSamePngBytesWithItsSettingsInside() throws Exception {
        List<String> gif = new ArrayList<>(quick("a.png", "7"));
        gif.addAll(List.of("--gif", tmp.resolve("a.gif").toString()));
        ClipCommandTest.Run a = dream(gif.toArray(String[]::new));
        ClipCommandTest.Run b = dream(quick("b.png", "7").toArray(String[]::new));
        ClipCommandTest.Run c = dream(quick("c.png", "8").toArray(String[]::new));
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(a.out().strip().lines().reduce((x, y) -> y).orElseThrow())
                .matches("dream: .*a\\.png similarity -?[0-9.]+ in [0-9.]+ s");
        byte[] pa = Files.readAllBytes(tmp.resolve("a.png"));
        assertThat(pa).isEqualTo(Files.readAllBytes(tmp.resolve("b.png")));
        assertThat(pa).isNotEqualTo(Files.readAllBytes(tmp.resolve("c.png")));
        assertThat(PngFiles.read(tmp.resolve("a.png")).width()).isEqualTo(32);
        assertThat(PngFiles.readText(tmp.resolve("a.png"))).containsEntry("prompt", "a red circle")
                .containsEntry("seed", "7").containsEntry("palette", "pico8").containsKey("settings");
        assertThat(javax.imageio.ImageIO.read(tmp.resolve("a.gif").toFile()).getWidth())
                .as("the timelapse is upscaled like the picture").isEqualTo(32);
    }

    private void refused(String expected, String... args) throws Exception {
        ClipCommandTest.Run r = dream(args);
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.filter(f -> !f.getFileName().toString().equals("broken.pt"))).isEmpty();
        }
    }

    private String[] with(String prompt, String... extra) {
        List<String> a = new ArrayList<>(List.of(prompt, "--out", tmp.resolve("x.png").toString()));
        a.addAll(List.of(extra));
        a.addAll(model());
        return a.toArray(String[]::new);
    }

    @Test
    void badInputGetsOneLineExitTwoAndNoFile() throws Exception {
        refused("prompt is empty", with("  "));
        refused("size must be between 16 and 256", with("a cat", "--size", "0"));
        refused("size must be between 16 and 256", with("a cat", "--size", "10000"));
        refused("steps must be at least 1", with("a cat", "--steps", "0"));
        refused("palette", with("a cat", "--palette", "rainbow"));
        refused("preset", with("a cat", "--preset", "ultra"));
        refused("does not exist", "a cat", "--out", tmp.resolve("x.png").toString(),
                "--checkpoint", tmp.resolve("missing.pt").toString(), "--vocab", model().get(3));
        Path broken = tmp.resolve("broken.pt");
        Files.write(broken, new byte[] {1, 2, 3, 4});
        refused("broken.pt", "a cat", "--out", tmp.resolve("x.png").toString(),
                "--checkpoint", broken.toString(), "--vocab", model().get(3));
    }
}
