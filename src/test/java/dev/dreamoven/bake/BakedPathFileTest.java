package dev.dreamoven.bake;

import static dev.dreamoven.bake.BakedPathsForTests.T0;
import static dev.dreamoven.bake.BakedPathsForTests.path;
import static dev.dreamoven.bake.BakedPathsForTests.randomStages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.clip.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BakedPathFileTest {

    @TempDir
    Path dir;

    @Test
    void aPathSurvivesTheRoundTripThroughItsFile() throws IOException {
        BakedPath p = BakedPath.of("iridescent vaporwave bubbles #digitalart 🍩 \"quoted\"", "ViT-B-32", 128,
                randomStages(3, 10, 512), Map.of("steps", "25", "lr", "0.05"), 0.8125, "alice#1234", T0);
        Path file = new BakedPathFile(dir).write(p);
        BakedPath back = BakedPathFile.read(file);
        assertThat(back).isEqualTo(p);
        assertThat(back.createdAt()).isEqualTo(T0);
        assertThat(back.settings()).containsEntry("lr", "0.05");
    }

    @Test
    void anUnknownScoreStaysNaN() throws IOException {
        BakedPath p = path("a lemon", "shapes", 1).withScore(Double.NaN);
        assertThat(BakedPathFile.decode(BakedPathFile.encode(p)).score()).isNaN();
    }

    @Test
    void theFileIsSafetensorsWithStagesAndMetadata() throws IOException {
        BakedPath p = path("a lemon", "shapes", 1);
        Path file = new BakedPathFile(dir).write(p);
        Safetensors.Contents c = Safetensors.read(file);
        assertThat(c.tensors()).containsOnlyKeys("stages");
        assertThat(c.tensors().get("stages").shape()).containsExactly(4, 8);
        assertThat(c.metadata()).containsEntry("format", BakedPathFile.FORMAT).containsEntry("format_version", "1")
                .containsEntry("prompt", "a lemon").containsEntry("model_id", "shapes")
                .containsEntry("resolution", "64").containsEntry("setting.steps", "25");
    }

    @Test
    void fileNamesAreSlugsOfThePromptPlusTheId() {
        BakedPath p = path("A Road-Sign with the word 'Hello' on it!", "shapes", 1);
        assertThat(BakedPathFile.fileName(p)).isEqualTo("a-road-sign-with-the-word-hello-on-it-" + p.id() + ".bake.safetensors");
        assertThat(BakedPathFile.fileName(path("日本語", "shapes", 1))).startsWith("path-");
        assertThat(BakedPathFile.fileName(path("x".repeat(300), "shapes", 1)))
                .matches("x{60}-[0-9a-f]{16}\\.bake\\.safetensors");
    }

    @Test
    void hostilePromptsNeverLeaveTheFolder() throws IOException {
        Path folder = dir.resolve("baked");
        BakedPathFile files = new BakedPathFile(folder);
        for (String prompt : List.of("../../etc/passwd", "/etc/passwd", "..", "a/../../b", "C:\\evil\\..\\x",
                ".hidden", "-rf --no-preserve-root", "%2e%2e%2fsecret", "x".repeat(300))) {
            BakedPath p = path(prompt, "shapes", 2);
            Path file = files.write(p);
            assertThat(file.getParent()).isEqualTo(folder.toAbsolutePath().normalize());
            assertThat(file.getFileName().toString()).matches("[a-z0-9][a-z0-9-]{0,59}-[0-9a-f]{16}\\.bake\\.safetensors");
            assertThat(BakedPathFile.read(file).prompt()).isEqualTo(prompt);
        }
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.filter(Files::isRegularFile)).allMatch(f -> f.getParent().equals(folder));
        }
    }

    @Test
    void aCrashBetweenWriteAndRenameLeavesTheOldFileIntact() throws IOException {
        BakedPath old = path("a lemon", "shapes", 1);
        Path file = new BakedPathFile(dir).write(old);
        byte[] before = Files.readAllBytes(file);

        BakedPath replacement = path("a lemon", "shapes", 2);
        BakedPathFile crashing = new BakedPathFile(dir, temp -> {
            assertThat(temp.getParent()).isEqualTo(dir.toAbsolutePath().normalize());
            assertThat(BakedPathFile.read(temp)).isEqualTo(replacement); // the new bytes were complete and synced
            Files.copy(temp, dir.resolve(".tmp-crashed.partial")); // what a killed process would leave behind
            throw new IOException("simulated crash before the rename");
        });
        assertThatThrownBy(() -> crashing.write(replacement)).hasMessageContaining("simulated crash");

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(BakedPathFile.read(file)).isEqualTo(old);
        BakedPathFile files = new BakedPathFile(dir);
        assertThat(files.files()).containsExactly(file); // the stray temp file is ignored
        assertThat(files.removeStrayTempFiles(Duration.ofMinutes(10))).isZero(); // too young: may be in progress
        Files.setLastModifiedTime(dir.resolve(".tmp-crashed.partial"),
                FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        assertThat(files.removeStrayTempFiles(Duration.ofMinutes(10))).isEqualTo(1);
        try (Stream<Path> all = Files.list(dir)) {
            assertThat(all).containsExactly(file);
        }
    }

    @Test
    void aSecondWriteReplacesTheFileAtomically() throws IOException {
        BakedPathFile files = new BakedPathFile(dir);
        Path first = files.write(path("a lemon", "shapes", 1));
        Path second = files.write(path("A  LEMON", "shapes", 2));
        assertThat(second).isEqualTo(first);
        assertThat(BakedPathFile.read(second).prompt()).isEqualTo("A  LEMON");
        assertThat(files.files()).hasSize(1);
    }

    @Test
    void foreignOrNewerFilesAreRefusedWithAReason() throws IOException {
        Path foreign = dir.resolve("x.bake.safetensors");
        try (var out = Files.newOutputStream(foreign)) {
            Safetensors.write(out, Map.of("stages", new Safetensors.Tensor(new long[] {1, 1}, new float[] {1})),
                    Map.of("format", "something-else"));
        }
        assertThatThrownBy(() -> BakedPathFile.read(foreign)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a Dream Oven baked path");

        Path newer = dir.resolve("y.bake.safetensors");
        try (var out = Files.newOutputStream(newer)) {
            Safetensors.write(out, Map.of("stages", new Safetensors.Tensor(new long[] {1, 1}, new float[] {1})),
                    Map.of("format", BakedPathFile.FORMAT, "format_version", "2"));
        }
        assertThatThrownBy(() -> BakedPathFile.read(newer)).hasMessageContaining("version 2 is not supported");

        Path garbage = dir.resolve("z.bake.safetensors");
        Files.write(garbage, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> BakedPathFile.read(garbage)).isInstanceOf(IOException.class);
    }
}
