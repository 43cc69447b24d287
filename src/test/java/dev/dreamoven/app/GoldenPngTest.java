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
 */
class GoldenPngTest {

    /** The layered default's bytes, recorded when it became the default; update with the shipped model. */
    static final String LAYERED = "61246882585dc2a5a11a39794574f83a1a694be9399df5f5a8f847c4ee2bf063";

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
        assertThat(dreamSha256("layers.png", "a red circle on a blue background", "--size", "32", "--steps", "12",
                "--seed", "7", "--preset", "normal", "--mode", "normal"))
                .isEqualTo(LAYERED);
    }

    @Test
    void theFreePixelDreamKeepsItsPixelsUnderThePixelsPreset() throws Exception {
        assertThat(dreamSha256("normal.png", "a red circle on a blue background", "--size", "32", "--steps", "20",
                "--seed", "7", "--preset", "pixels", "--mode", "normal"))
                .isEqualTo("538ffa3218c1fa79e50ef5757f6022717de1a9669d0ce5db539ccbf562d7d575");
        assertThat(pixelSha256("normal.png"))
                .isEqualTo("2d6096c9f1fd89679c468661a0d23acfbcb44bafd4790c8610dd6613a54e344e");
    }

    @Tag("slow")
    @Test
    void pixelsDraftAndBestWithPaletteNegativeAndScaleKeepTheirPixels() throws Exception {
        assertThat(dreamSha256("draft.png", "a green square", "--size", "24", "--steps", "12", "--seed", "3",
                "--preset", "pixels-draft", "--palette", "pico8", "--negative", "a red square", "--mode", "normal"))
                .isEqualTo("cd46c72527fb65f9bab120d6b62691c78baaaa2eadaa78a14c665a2bb81b1519");
        assertThat(pixelSha256("draft.png"))
                .isEqualTo("0eacb6697f024a052c4018f2fd9bffd89a51ee1e46346ff24c1b4824ff59538d");
        assertThat(dreamSha256("best.png", "a yellow triangle on a black background", "--size", "16", "--steps", "8",
                "--seed", "11", "--preset", "pixels-best", "--scale", "2", "--mode", "normal"))
                .isEqualTo("fa03f712c07c4c7dbb7794bda03ded86cb68fef3b2f92e198d4acf38f834b9bf");
        assertThat(pixelSha256("best.png"))
                .isEqualTo("f0795c63be5a9db32050f77b88821fd6a2af0d9ced5acde581c9cc5baa66b61e");
    }

    @Tag("slow")
    @Test
    void aFreePixelMicrowaveOfAShippedBakedPathKeepsItsPixels() throws Exception {
        assertThat(dreamSha256("microwave.png", "a red circle", "--mode", "microwave", "--size", "32", "--steps", "20",
                "--seed", "7", "--preset", "pixels")).isEqualTo("374ee123c38cc2141ed01d0e11dff845fa773fa193cfc3ca43379fda7def06c5");
        assertThat(pixelSha256("microwave.png"))
                .isEqualTo("019ca01e285cc40fff456724edfc41440799916c85c2de7088487f6f2bab9539");
    }
}
