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
        refused("size must be from 16 to 256 (got 0)", with("a cat", "--size", "0"));
        refused("size must be from 16 to 256 (got 10000)", with("a cat", "--size", "10000"));
        refused("steps must be from 1 to 2000 (got 0)", with("a cat", "--steps", "0"));
        refused("palette", with("a cat", "--palette", "rainbow"));
        refused("preset", with("a cat", "--preset", "ultra"));
        refused("does not exist", "a cat", "--out", tmp.resolve("x.png").toString(),
                "--checkpoint", tmp.resolve("missing.pt").toString(), "--vocab", model().get(3));
        Path broken = tmp.resolve("broken.pt");
        Files.write(broken, new byte[] {1, 2, 3, 4});
        refused("broken.pt", "a cat", "--out", tmp.resolve("x.png").toString(),
                "--checkpoint", broken.toString(), "--vocab", model().get(3));
    }

    /** The command line takes what the console and Discord take, and refuses what they refuse, in their words. */
    @Test
    void theLimitsAreTheConsolesAndMessagesSayWhatToDo() throws Exception {
        refused("steps must be from 1 to 2000 (got 100000)", with("a cat", "--steps", "100000"));
        refused("seed must be from 0 to 9007199254740991 (got -5)", with("a cat", "--seed", "-5"));
        refused("the prompt holds a control character (U+202E)", with("a red \u202ecircle"));
        Path folder = Files.createDirectories(state.resolve("models"));
        Files.write(folder.resolve("broken.pt"), new byte[] {1, 2, 3, 4});
        refused("checkpoint " + folder + " is a folder; give the checkpoint file itself, e.g. --checkpoint "
                + folder.resolve("broken.pt"), "a cat", "--checkpoint", folder.toString(), "--vocab", model().get(3));
        Path text = tmp.resolve("broken.pt");
        Files.writeString(text, "this is a text file, not weights");
        refused("checkpoint file " + text + " is neither a TorchScript archive (.pt, a zip file) nor a .safetensors file",
                "a cat", "--out", tmp.resolve("x.png").toString(), "--checkpoint", text.toString(), "--vocab", model().get(3));
        Files.delete(text);
        deleteTree(folder);
        refused("dream: the prompt must be one argument; put it in quotes: dream \"a red circle\"",
                "a", "red", "circle");
        // --threads after the command is an option like before it (refused for --steps, not as unknown)
        refused("steps must be from 1 to 2000 (got 0)", with("a cat", "--threads", "1", "--steps", "0"));
    }

    /** The destination is tried before the dream, and a refusal says why in the system's words. */
    @Test
    void aDestinationThatCannotBeWrittenIsRefusedBeforeTheModelLoads() throws Exception {
        Path broken = tmp.resolve("broken.pt");
        Files.write(broken, new byte[] {1, 2, 3, 4}); // loading it would fail with another message
        refused("cannot write /sys/x.png in /sys: permission denied", "a cat", "--out", "/sys/x.png",
                "--checkpoint", broken.toString(), "--vocab", model().get(3));
        refused("cannot write /proc/x.png in /proc: no such file or directory", "a cat", "--out", "/proc/x.png",
                "--checkpoint", broken.toString(), "--vocab", model().get(3));
        Files.delete(broken);
    }

    @Test
    void withoutATerminalProgressIsALineEveryTenPercentWithASeparatorAfterTheSpeed() {
        List<String> args = new ArrayList<>(quick("p.png", "3"));
        args.set(args.indexOf("6"), "40"); // 40 steps
        ClipCommandTest.Run r = dream(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> progress = r.err().lines().filter(l -> l.matches("dream: +\\d+% .*")).toList();
        assertThat(progress).hasSizeBetween(10, 11).last().asString()
                .matches("dream: 100% 40/40 steps, [0-9.]+ steps/s · similarity -?[0-9.]+");
    }

    @Test
    void thePlanIsSaidInPlainWordsBeforeTheProgressBarAndKeptInThePng() throws Exception {
        // The shipped model and its shipped baked paths (a new baked folder starts with them).
        Path png = tmp.resolve("plan.png");
        ClipCommandTest.Run r = dream("a big red circle", "--size", "16", "--steps", "20", "--seed", "3",
                "--out", png.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> err = r.err().lines().toList();
        String plan = "starting from the baked path of 'a red circle' (close); 20 steps";
        int said = err.indexOf("dream: " + plan + ", seed 3, guided by shapes-cc9cfb98");
        int firstProgress = err.indexOf(err.stream().filter(l -> l.matches("dream: +\\d+% .*")).findFirst().orElseThrow());
        assertThat(said).as("the plan line in %s", err).isNotNegative().isLessThan(firstProgress);
        assertThat(r.err()).doesNotContain("distance");
        assertThat(PngFiles.readText(png)).containsEntry("plan", plan)
                .containsEntry("mode", "auto-microwave from 'a red circle'");

        ClipCommandTest.Run swapped = dream("a blue square", "--size", "16", "--steps", "10", "--seed", "3",
                "--mode", "auto", "--out", tmp.resolve("swapped.png").toString());
        assertThat(swapped.err()).contains("dream: the closest baked prompt, 'a blue circle on the left', asks for "
                + "something else: dreaming from scratch; 10 steps, seed 3");
    }

    @Test
    void helpShowsTheRealDefaultsAndExplainsThePresets() {
        // help wraps its lines anywhere, so the words are compared without spaces
        String help = ClipCommandTest.run("dream", "--help").out().replaceAll("\\s+", "");
        assertThat(help).contains("(default:normal,settingdream.preset)").contains("(default:64,settingdream.size)")
                .contains("draft:layeredpalettedrawing,40steps,4shiftedviewsofthepictureastep")
                .contains("pixels-best:freepixels,600steps,16randomviews").doesNotContain("${").doesNotContain("(default:dream.preset)").doesNotContain("(default:dream.size)");
        String main = ClipCommandTest.run("--help").out().replaceAll("\\s+", "");
        assertThat(main).contains("Wherestatelives").contains("data/dreamoven.db").contains("~/.djl.ai/");
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
