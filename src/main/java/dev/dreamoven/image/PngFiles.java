package dev.dreamoven.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.imageio.ImageIO;

/**
 * PNG files with text metadata (prompt, seed, settings). The encoder is written here rather than
 * taken from ImageIO so that the bytes are a pure function of pixels and text (no time chunk, no
 * encoder-version quirks) and the text chunks are exactly the ones asked for: {@code tEXt} when
 * key and value are Latin-1, {@code iTXt} (UTF-8, uncompressed) otherwise.
 */
public final class PngFiles {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private PngFiles() {
    }

    /**
     * 8-bit RGB PNG of {@code img} with one text chunk per entry, in the map's iteration order.
     * Keys must be 1..79 Latin-1 printable characters without leading/trailing spaces (PNG's rule);
     * values may be any text without NUL.
     */
    public static byte[] encode(RgbImage img, Map<String, String> text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        ByteBuffer ihdr = ByteBuffer.allocate(13);
        ihdr.putInt(img.width()).putInt(img.height());
        ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        for (Map.Entry<String, String> e : text.entrySet()) {
            textChunk(out, e.getKey(), e.getValue());
        }
        chunk(out, "IDAT", compressedPixels(img));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** {@link #encode} written atomically (temporary file in the same folder, then a move). */
    public static void write(Path file, RgbImage img, Map<String, String> text) throws IOException {
        AtomicFiles.write(file, encode(img, text));
    }

    /** The pixels of any PNG (or other ImageIO-readable image). */
    public static RgbImage decode(byte[] png) {
        try {
            var image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new IllegalArgumentException("not a readable image");
            }
            return PixelArt.fromBufferedImage(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RgbImage read(Path file) throws IOException {
        return decode(Files.readAllBytes(file));
    }

    public static Map<String, String> readText(Path file) throws IOException {
        return readText(Files.readAllBytes(file));
    }

    /** The {@code tEXt}, {@code zTXt} and {@code iTXt} entries of a PNG, in file order. */
    public static Map<String, String> readText(byte[] png) {
        if (png.length < 8 || !Arrays.equals(Arrays.copyOf(png, 8), SIGNATURE)) {
            throw new IllegalArgumentException("not a PNG file");
        }
        Map<String, String> text = new LinkedHashMap<>();
        ByteBuffer buf = ByteBuffer.wrap(png);
        buf.position(8);
        while (buf.remaining() >= 12) {
            int length = buf.getInt();
            byte[] typeBytes = new byte[4];
            buf.get(typeBytes);
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            if (length < 0 || length > buf.remaining() - 4) {
                throw new IllegalArgumentException("truncated PNG chunk " + type);
            }
            byte[] data = new byte[length];
            buf.get(data);
            buf.getInt(); // CRC
            switch (type) {
                case "tEXt" -> {
                    int nul = indexOf(data, 0);
                    text.put(latin1(data, 0, nul), latin1(data, nul + 1, data.length));
                }
                case "zTXt" -> {
                    int nul = indexOf(data, 0);
                    byte[] value = inflate(Arrays.copyOfRange(data, nul + 2, data.length));
                    text.put(latin1(data, 0, nul), new String(value, StandardCharsets.ISO_8859_1));
                }
                case "iTXt" -> {
                    int keyEnd = indexOf(data, 0);
                    boolean compressed = data[keyEnd + 1] != 0;
                    int langEnd = indexOfFrom(data, 0, keyEnd + 3);
                    int translatedEnd = indexOfFrom(data, 0, langEnd + 1);
                    byte[] value = Arrays.copyOfRange(data, translatedEnd + 1, data.length);
                    if (compressed) {
                        value = inflate(value);
                    }
                    text.put(latin1(data, 0, keyEnd), new String(value, StandardCharsets.UTF_8));
                }
                case "IEND" -> {
                    return text;
                }
                default -> {
                    // pixels and other chunks are not text
                }
            }
        }
        return text;
    }

    private static void textChunk(ByteArrayOutputStream out, String key, String value) {
        if (key.isEmpty() || key.length() > 79 || !key.equals(key.strip()) || !isLatin1Printable(key)) {
            throw new IllegalArgumentException("PNG text keys are 1-79 printable Latin-1 characters: '" + key + "'");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("PNG text values cannot contain NUL: key " + key);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(key.getBytes(StandardCharsets.ISO_8859_1));
        data.write(0);
        if (StandardCharsets.ISO_8859_1.newEncoder().canEncode(value)) {
            data.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
            chunk(out, "tEXt", data.toByteArray());
        } else {
            data.write(0); // not compressed
            data.write(0); // compression method
            data.write(0); // empty language tag
            data.write(0); // empty translated keyword
            data.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            chunk(out, "iTXt", data.toByteArray());
        }
    }

    private static boolean isLatin1Printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 32 && c <= 126) || (c >= 161 && c <= 255))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] compressedPixels(RgbImage img) {
        int w = img.width();
        int h = img.height();
        // Each row: filter byte then RGB triples. Filter "Sub" suits flat pixel art: repeated
        // colours become runs of zeros that deflate well.
        byte[] raw = new byte[h * (1 + 3 * w)];
        int p = 0;
        for (int y = 0; y < h; y++) {
            raw[p++] = 1;
            int pr = 0;
            int pg = 0;
            int pb = 0;
            for (int x = 0; x < w; x++) {
                int rgb = img.rgb(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                raw[p++] = (byte) (r - pr);
                raw[p++] = (byte) (g - pg);
                raw[p++] = (byte) (b - pb);
                pr = r;
                pg = g;
                pb = b;
            }
        }
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            deflater.setInput(raw);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] inflate(byte[] data) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated compressed PNG text");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("bad compressed PNG text", e);
        } finally {
            inflater.end();
        }
    }

    private static int indexOf(byte[] data, int value) {
        return indexOfFrom(data, value, 0);
    }

    private static int indexOfFrom(byte[] data, int value, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException("malformed PNG text chunk");
    }

    private static String latin1(byte[] data, int from, int to) {
        return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
