package dev.dreamoven.image;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/** Animated GIF timelapses of a dream's steps, written with ImageIO's GIF writer. */
public final class GifFiles {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private GifFiles() {
    }

    /**
     * One GIF frame per picture, each shown {@code delayMillis} (GIF counts in 1/100 s, so it is
     * rounded to 10 ms, at least 10 ms). With {@code loop} the NETSCAPE2.0 extension asks viewers to
     * repeat forever; without it the animation plays once. Each frame gets its own colour table of
     * its exact colours; a frame with more than 256 colours is first reduced to 6 levels per
     * channel (216 colours), so pass already quantized frames to keep them exact.
     */
    public static byte[] encodeTimelapse(List<RgbImage> frames, int delayMillis, boolean loop) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a timelapse needs at least one frame");
        }
        int width = frames.get(0).width();
        int height = frames.get(0).height();
        for (RgbImage f : frames) {
            if (f.width() != width || f.height() != height) {
                throw new IllegalArgumentException("all frames must be " + width + "x" + height + ", got " + f);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            ImageWriteParam param = writer.getDefaultWriteParam();
            for (int i = 0; i < frames.size(); i++) {
                BufferedImage indexed = indexed(frames.get(i));
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(indexed), param);
                configure(metadata, delayMillis, loop && i == 0);
                writer.writeToSequence(new IIOImage(indexed, null, metadata), param);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** {@link #encodeTimelapse} written atomically (temporary file in the same folder, then a move). */
    public static void write(Path file, List<RgbImage> frames, int delayMillis, boolean loop) throws IOException {
        AtomicFiles.write(file, encodeTimelapse(frames, delayMillis, loop));
    }

    private static void configure(IIOMetadata metadata, int delayMillis, boolean loopExtension)
            throws IOException {
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(Math.max(1, Math.round(delayMillis / 10f))));
        control.setAttribute("transparentColorIndex", "0");
        if (loopExtension) {
            IIOMetadataNode extensions = child(root, "ApplicationExtensions");
            IIOMetadataNode netscape = new IIOMetadataNode("ApplicationExtension");
            netscape.setAttribute("applicationID", "NETSCAPE");
            netscape.setAttribute("authenticationCode", "2.0");
            netscape.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
            extensions.appendChild(netscape);
        }
        metadata.setFromTree(FORMAT, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    private static BufferedImage indexed(RgbImage frame) {
        RgbImage img = frame;
        TreeSet<Integer> colours = colours(img);
        if (colours.size() > 256) {
            img = reduce(img);
            colours = colours(img);
        }
        int size = 2;
        while (size < colours.size()) {
            size *= 2;
        }
        byte[] r = new byte[size];
        byte[] g = new byte[size];
        byte[] b = new byte[size];
        Map<Integer, Integer> index = new HashMap<>();
        int k = 0;
        for (int c : colours) {
            r[k] = (byte) (c >> 16);
            g[k] = (byte) (c >> 8);
            b[k] = (byte) c;
            index.put(c, k++);
        }
        IndexColorModel model = new IndexColorModel(8, size, r, g, b);
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_BYTE_INDEXED, model);
        WritableRaster raster = out.getRaster();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                raster.setSample(x, y, 0, index.get(img.rgb(x, y)));
            }
        }
        return out;
    }

    private static TreeSet<Integer> colours(RgbImage img) {
        TreeSet<Integer> colours = new TreeSet<>();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                colours.add(img.rgb(x, y));
            }
        }
        return colours;
    }

    private static RgbImage reduce(RgbImage img) {
        float[] d = img.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.round(Math.max(0f, Math.min(1f, d[i])) * 5) / 5f;
        }
        return new RgbImage(img.width(), img.height(), d);
    }
}
