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
 */
class GoldenPngTest {

    /** The layered default's picture (decoded pixels) and file, recorded with the shipped model's recommended palette. */
    static final String LAYERED = "8229cfd07d16d47e1b98618bd69d66980f20974116bf97428d285a39c63b28d1";
    private static final String LAYERED_PIXELS = "da04da680374ae36856488f94001206d90bd7b8f16c33d8606bc1b166e07bf32";

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
        assertThat(normal).as("file").isEqualTo("c571af94d299546411f27718d01cce90ba91046d235e2a003a770cfbef87c9a6");
    }

    @Tag("slow")
    @Test
    void pixelsDraftAndBestWithPaletteNegativeAndScaleKeepTheirPixels() throws Exception {
        String draft = dreamSha256("draft.png", "a green square", "--size", "24", "--steps", "12", "--seed", "3",
                "--preset", "pixels-draft", "--palette", "pico8", "--negative", "a red square", "--mode", "normal");
        assertThat(pixelSha256("draft.png")).as("pixels").isEqualTo("0eacb6697f024a052c4018f2fd9bffd89a51ee1e46346ff24c1b4824ff59538d");
        assertThat(draft).as("file").isEqualTo("856d821d31b3036f2b9b4657b36a2e62a1d85aa07447f3ece31ea02bf706955b");
        String best = dreamSha256("best.png", "a yellow triangle on a black background", "--size", "16", "--steps", "8",
                "--seed", "11", "--preset", "pixels-best", "--scale", "2", "--mode", "normal");
        assertThat(pixelSha256("best.png")).as("pixels").isEqualTo("f0795c63be5a9db32050f77b88821fd6a2af0d9ced5acde581c9cc5baa66b61e");
        assertThat(best).as("file").isEqualTo("90c5bc486a53644a029c282e2d99a7534ebf2118a44635d7d7cd752e9acb4825");
    }

    @Tag("slow")
    @Test
    void aFreePixelMicrowaveOfAShippedBakedPathKeepsItsPixels() throws Exception {
        String microwave = dreamSha256("microwave.png", "a red circle", "--mode", "microwave", "--size", "32", "--steps", "20",
                "--seed", "7", "--preset", "pixels");
        assertThat(pixelSha256("microwave.png")).as("pixels").isEqualTo("019ca01e285cc40fff456724edfc41440799916c85c2de7088487f6f2bab9539");
        assertThat(microwave).as("file").isEqualTo("146a784cf7184d43fc78ba73d539bbed556b7e911e0ac1842b6ea8d9d574c6c5");
    }
}
