package dev.dreamoven.image;

import java.util.Arrays;

/**
 * A picture as float RGB in [0, 1], channel-first like the tensors it comes from:
 * {@code data[c * height * width + y * width + x]}, i.e. {@code [3, H, W]}.
 */
public record RgbImage(int width, int height, float[] data) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (data.length != 3 * width * height) {
            throw new IllegalArgumentException("expected " + 3 * width * height + " values, got " + data.length);
        }
        data = data.clone();
    }

    public static RgbImage filled(int width, int height, float r, float g, float b) {
        float[] d = new float[3 * width * height];
        int plane = width * height;
        Arrays.fill(d, 0, plane, r);
        Arrays.fill(d, plane, 2 * plane, g);
        Arrays.fill(d, 2 * plane, 3 * plane, b);
        return new RgbImage(width, height, d);
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel (x, y). */
    public float get(int c, int x, int y) {
        return data[(c * height + y) * width + x];
    }

    /** A copy of the values, {@code [3, H, W]}. */
    @Override
    public float[] data() {
        return data.clone();
    }

    /** 0xRRGGBB of pixel (x, y), each channel rounded from [0, 1] to 0..255. */
    public int rgb(int x, int y) {
        int r = toByte(get(0, x, y));
        int g = toByte(get(1, x, y));
        int b = toByte(get(2, x, y));
        return (r << 16) | (g << 8) | b;
    }

    private static int toByte(float v) {
        return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && width == other.width && height == other.height
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
