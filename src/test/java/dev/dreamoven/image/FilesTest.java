package dev.dreamoven.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

class FilesTest {

    @TempDir
    Path dir;

    private static RgbImage randomQuantized(long seed, int w, int h) {
        Random r = new Random(seed);
        float[] d = new float[3 * w * h];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat();
        }
        return PixelArt.quantize(new RgbImage(w, h, d), Palette.NONE);
    }

    /** Files hold 8-bit channels, so pixels are compared as the bytes {@link RgbImage#rgb} gives. */
    private static void assertSameBytes(RgbImage actual, RgbImage expected) {
        assertThat(actual.width()).isEqualTo(expected.width());
        assertThat(actual.height()).isEqualTo(expected.height());
        for (int y = 0; y < expected.height(); y++) {
            for (int x = 0; x < expected.width(); x++) {
                assertThat(actual.rgb(x, y)).as("pixel %d,%d", x, y).isEqualTo(expected.rgb(x, y));
            }
        }
    }

    @Test
    void pngRoundTripsPixelsAndText() throws Exception {
        RgbImage img = randomQuantized(1, 13, 7);
        Map<String, String> text = new LinkedHashMap<>();
        text.put("prompt", "a red circle on a blue background");
        text.put("seed", "42");
        text.put("title", "ドリーム ☕"); // not Latin-1: goes into iTXt
        Path file = dir.resolve("out/picture.png");
        PngFiles.write(file, img, text);

        assertThat(PngFiles.readText(file)).containsExactlyEntriesOf(text);
        BufferedImage viaImageIo = ImageIO.read(file.toFile());
        RgbImage back = PixelArt.fromBufferedImage(viaImageIo);
        assertSameBytes(back, img);
        assertThat(Files.list(file.getParent()).toList()).containsExactly(file);
    }

    @Test
    void pngBytesAreDeterministic() {
        RgbImage img = randomQuantized(2, 16, 16);
        Map<String, String> text = Map.of("seed", "7");
        assertThat(PngFiles.encode(img, text)).isEqualTo(PngFiles.encode(randomQuantized(2, 16, 16), Map.of("seed", "7")));
        assertThat(PngFiles.encode(img, text)).isNotEqualTo(PngFiles.encode(img, Map.of("seed", "8")));
    }

    @Test
    void pngWriteReplacesAnExistingFile() throws Exception {
        Path file = dir.resolve("p.png");
        PngFiles.write(file, randomQuantized(3, 4, 4), Map.of("n", "1"));
        PngFiles.write(file, randomQuantized(4, 4, 4), Map.of("n", "2"));
        assertThat(PngFiles.readText(file)).containsEntry("n", "2");
        assertSameBytes(PngFiles.read(file), randomQuantized(4, 4, 4));
    }

    /** A picture gets the permissions of any new file (the umask's), not a temporary file's 0600. */
    @Test
    void picturesAreWrittenWithThePermissionsOfAnyNewFile(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path plain = Files.write(dir.resolve("plain.txt"), new byte[] {1});
        Path png = dir.resolve("p.png");
        PngFiles.write(png, RgbImage.filled(2, 2, 0.5f, 0.5f, 0.5f), java.util.Map.of());
        Path gif = dir.resolve("t.gif");
        GifFiles.write(gif, java.util.List.of(RgbImage.filled(2, 2, 0.5f, 0.5f, 0.5f)), 80, true);
        assertThat(Files.getPosixFilePermissions(png)).isEqualTo(Files.getPosixFilePermissions(plain));
        assertThat(Files.getPosixFilePermissions(gif)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void gifHasOneFramePerPictureAndLoops() throws Exception {
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            frames.add(randomQuantized(10 + i, 8, 8));
        }
        Path file = dir.resolve("t.gif");
        GifFiles.write(file, frames, 100, true);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(5);
            for (int i = 0; i < 5; i++) {
                RgbImage frame = PixelArt.fromBufferedImage(reader.read(i));
                assertSameBytes(frame, frames.get(i));
            }
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            Node app = root.getElementsByTagName("ApplicationExtension").item(0);
            assertThat(app).isNotNull();
            assertThat(app.getAttributes().getNamedItem("applicationID").getNodeValue()).isEqualTo("NETSCAPE");
            byte[] loop = (byte[]) ((IIOMetadataNode) app).getUserObject();
            assertThat(loop).containsExactly(1, 0, 0);
            Node control = root.getElementsByTagName("GraphicControlExtension").item(0);
            assertThat(control.getAttributes().getNamedItem("delayTime").getNodeValue()).isEqualTo("10");
        }
    }

    @Test
    void gifWithoutLoopHasNoLoopExtension() throws Exception {
        byte[] gif = GifFiles.encodeTimelapse(List.of(randomQuantized(1, 4, 4), randomQuantized(2, 4, 4)), 50, false);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(2);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_gif_image_1.0");
            assertThat(root.getElementsByTagName("ApplicationExtension").getLength()).isZero();
        }
        assertThat(GifFiles.encodeTimelapse(List.of(randomQuantized(1, 4, 4), randomQuantized(2, 4, 4)), 50, false))
                .as("deterministic bytes").isEqualTo(gif);
    }

    @Test
    void gifFramesWithTooManyColoursAreReduced() throws Exception {
        Random r = new Random(5);
        float[] d = new float[3 * 32 * 32];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat();
        }
        byte[] gif = GifFiles.encodeTimelapse(List.of(new RgbImage(32, 32, d)), 100, true);
        assertThat(ImageIO.read(new ByteArrayInputStream(gif)).getWidth()).isEqualTo(32);
    }

    @Test
    void chartsDrawHeadless() {
        BufferedImage chart = Charts.barChart("Prompt fidelity", List.of("normal", "microwave"),
                List.of(new double[] {0.5, 0.8}, new double[] {0.25, 1.0}), List.of("toy", "toy+tv"));
        assertThat(chart.getWidth()).isGreaterThan(100);
        BufferedImage sheet = Charts.contactSheet(List.of(randomQuantized(1, 8, 8), randomQuantized(2, 8, 8),
                randomQuantized(3, 8, 8)), List.of("a", "b", "a red circle left of a blue square"), 2, 4);
        assertThat(sheet.getWidth()).isEqualTo(8 + 2 * (32 + 8));
        // the first picture is drawn 4x at the top-left cell
        assertThat(sheet.getRGB(8 + 5, 8 + 5) & 0xFFFFFF).isEqualTo(randomQuantized(1, 8, 8).rgb(1, 1));
    }
}
