package dev.dreamoven.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same seed and settings, same PNG bytes: small {@code dream} runs of the shipped model, each in its
 * own JVM exactly as a user runs the jar (one libtorch thread, the defaults of the properties file),
 * against SHA-256 sums recorded with the jar of commit 174262a, before the code was reorganised, and
 * recorded again when the PNG's {@code similarity} text became that of the picture as written
 * (after the palette) rather than of the raw pixels: the pixels themselves did not change. A change
 * that alters a picture, its metadata or the settings text fails here.
 */
class GoldenPngTest {

    /** The entry point of the jar. */
    static final String MAIN = "dev.dreamoven.app.Main";

    @TempDir
    Path dir;

    private String dreamSha256(String name, String... args) throws Exception {
        Path config = dir.resolve("test.properties");
        Files.writeString(config, "store.database=" + dir.resolve("d.db").toString().replace('\\', '/') + "\n"
                + "store.baked=" + Path.of("baked").toAbsolutePath().toString().replace('\\', '/') + "\n");
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MAIN, "--config", config.toString(), "dream"));
        command.addAll(List.of(args));
        command.addAll(List.of("--out", out.toString()));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("dream finished").isTrue();
        assertThat(p.exitValue()).as(log(name)).isZero();
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(out)));
    }

    private String log(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    @Test
    void aNormalDreamOfTheShippedModelIsTheSameBytesAsBefore() throws Exception {
        assertThat(dreamSha256("normal.png", "a red circle on a blue background", "--size", "32", "--steps", "20",
                "--seed", "7", "--preset", "normal", "--mode", "normal"))
                .isEqualTo("78890f3e439d721305a2ed5978b4437076db69c813d59825abc8d24bc89b3ccc");
    }

    @Tag("slow")
    @Test
    void draftAndBestPresetsWithPaletteNegativeAndScaleAreTheSameBytesAsBefore() throws Exception {
        assertThat(dreamSha256("draft.png", "a green square", "--size", "24", "--steps", "12", "--seed", "3",
                "--preset", "draft", "--palette", "pico8", "--negative", "a red square", "--mode", "normal"))
                .isEqualTo("6a24796a44109014edf56d2afc17dc3ea2e72ed3fb1584d63c0e9a4548b089db");
        assertThat(dreamSha256("best.png", "a yellow triangle on a black background", "--size", "16", "--steps", "8",
                "--seed", "11", "--preset", "best", "--scale", "2", "--mode", "normal"))
                .isEqualTo("80d25159ef106cae1aa6cd46db5e05ef8430f478c8e1110430d30db023bf2e58");
    }

    @Tag("slow")
    @Test
    void aMicrowaveOfAShippedBakedPathIsTheSameBytesAsBefore() throws Exception {
        assertThat(dreamSha256("microwave.png", "a red circle", "--mode", "microwave", "--size", "32", "--steps", "20",
                "--seed", "7")).isEqualTo("b7b8e4b9eb20afe736dfbef44f51e7e5ad380b79a7fa37ac47d0fddd721db6be");
    }
}
