package dev.dreamoven.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same seed and settings, same PNG bytes: small {@code dream} runs of the shipped model, each in its
 * own JVM exactly as a user runs the jar (one libtorch thread, the defaults of the properties file).
 * A change that alters a picture, its metadata or the settings text fails here.
 *
 * <p>The free-pixel dream became the {@code pixels} presets when layered drawing became the default.
 * Its pixels are pinned to those the jar of commit 174262a made under the old preset names (SHA-256
 * of the decoded RGB rows), and its files to the bytes recorded after the rename, which differ from
 * the old files only in the {@code preset} text chunk.
 * The file sums were recorded again when the PNG's {@code similarity} text became that of the
 * picture as written (after the palette) rather than of the raw pixels; the pixel sums did not change.
 * They were recorded once more when the shipped model's version began to hash its weights only (its
 * id, in the {@code model} text chunk, changed; pixels again unchanged).
 * File sums change whenever a text chunk does (the plan line came with the planner); pixel sums
 * only when a drawing does (the layered one's frame prior).
 */
class GoldenPngTest {

    /** The layered default's picture (decoded pixels) and file, recorded with the shipped model's recommended palette. */
    static final String LAYERED = "5f5097829486540b19414e77feb4773f9b48f8f464b275fe16f1909517bd4ad1";
    private static final String LAYERED_PIXELS = "0bd68b07110793bbfffc0ee9f163648df45b0f5f6cc520f70fa548e0cbee8596";

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

    /** SHA-256 of the decoded picture: R, G, B bytes, row by row. */
    private String pixelSha256(String name) throws Exception {
        BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
        byte[] rgb = new byte[image.getWidth() * image.getHeight() * 3];
        int i = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int c = image.getRGB(x, y);
                rgb[i++] = (byte) (c >> 16);
                rgb[i++] = (byte) (c >> 8);
                rgb[i++] = (byte) c;
            }
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rgb));
    }

    private String log(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    @Test
    void aLayeredDreamOfTheShippedModelIsTheSameBytesEveryTime() throws Exception {
        String layers = dreamSha256("layers.png", "a red circle on a blue background", "--size", "32", "--steps", "12",
                "--seed", "7", "--preset", "normal", "--mode", "normal");
        assertThat(pixelSha256("layers.png")).as("pixels").isEqualTo(LAYERED_PIXELS);
        assertThat(layers).as("file").isEqualTo(LAYERED);
    }

    @Test
    void theFreePixelDreamKeepsItsPixelsUnderThePixelsPreset() throws Exception {
        String normal = dreamSha256("normal.png", "a red circle on a blue background", "--size", "32", "--steps", "20",
                "--seed", "7", "--preset", "pixels", "--mode", "normal");
        assertThat(pixelSha256("normal.png")).as("pixels").isEqualTo("2d6096c9f1fd89679c468661a0d23acfbcb44bafd4790c8610dd6613a54e344e");
        assertThat(normal).as("file").isEqualTo("b0a439e900c36f07ac6e6f3cd1ea3f1f8cc9b02a8fa18fe44fbac99a434c58b5");
    }

    @Tag("slow")
    @Test
    void pixelsDraftAndBestWithPaletteNegativeAndScaleKeepTheirPixels() throws Exception {
        String draft = dreamSha256("draft.png", "a green square", "--size", "24", "--steps", "12", "--seed", "3",
                "--preset", "pixels-draft", "--palette", "pico8", "--negative", "a red square", "--mode", "normal");
        assertThat(pixelSha256("draft.png")).as("pixels").isEqualTo("0eacb6697f024a052c4018f2fd9bffd89a51ee1e46346ff24c1b4824ff59538d");
        assertThat(draft).as("file").isEqualTo("3fd9ec5e916bfcd98b7614a63929ea44103216ffb7e2a01ab41aa4737f6393c2");
        String best = dreamSha256("best.png", "a yellow triangle on a black background", "--size", "16", "--steps", "8",
                "--seed", "11", "--preset", "pixels-best", "--scale", "2", "--mode", "normal");
        assertThat(pixelSha256("best.png")).as("pixels").isEqualTo("f0795c63be5a9db32050f77b88821fd6a2af0d9ced5acde581c9cc5baa66b61e");
        assertThat(best).as("file").isEqualTo("b1bd8a13f1aeff49e500a11d4b59696de805cc1aaf35c9af339e4df4c1c36a4c");
    }

    @Tag("slow")
    @Test
    void aFreePixelMicrowaveOfAShippedBakedPathKeepsItsPixels() throws Exception {
        String microwave = dreamSha256("microwave.png", "a red circle", "--mode", "microwave", "--size", "32", "--steps", "20",
                "--seed", "7", "--preset", "pixels");
        assertThat(pixelSha256("microwave.png")).as("pixels").isEqualTo("019ca01e285cc40fff456724edfc41440799916c85c2de7088487f6f2bab9539");
        assertThat(microwave).as("file").isEqualTo("dfaea80a3eda02e82ae410e322db84324555cd453a79a11b8df375076008c11f");
    }
}
