package dev.dreamoven.image;

import java.awt.image.BufferedImage;
import java.util.List;

/** Pixel-art finishing: quantize to a palette, nearest-neighbour upscale, AWT conversion. */
public final class PixelArt {

    /** Levels per channel minus one for {@link Palette#NONE}, as in the seed: {@code round(v * 16) / 16}. */
    public static final int LEVEL_STEPS = 16;

    private PixelArt() {
    }

    /**
     * {@link Palette#NONE}: each channel clamped to [0, 1] and rounded to the nearest of 17 levels.
     * Any other palette: each pixel replaced by the palette entry nearest in CIELAB (see
     * {@link ColourSpace} for why Lab rather than RGB), exactly {@code entry / 255}.
     */
    public static RgbImage quantize(RgbImage img, Palette palette) {
        float[] d = img.data();
        int plane = img.width() * img.height();
        if (palette.isLevels()) {
            for (int i = 0; i < d.length; i++) {
                float v = Math.max(0f, Math.min(1f, d[i]));
                d[i] = Math.round(v * LEVEL_STEPS) / (float) LEVEL_STEPS;
            }
            return new RgbImage(img.width(), img.height(), d);
        }
        List<Integer> colours = palette.colours();
        double[][] labs = new double[colours.size()][];
        for (int k = 0; k < labs.length; k++) {
            labs[k] = ColourSpace.lab(colours.get(k));
        }
        for (int i = 0; i < plane; i++) {
            double[] lab = ColourSpace.lab(d[i], d[plane + i], d[2 * plane + i]);
            int best = nearest(lab, labs);
            int c = colours.get(best);
            d[i] = ((c >> 16) & 0xFF) / 255f;
            d[plane + i] = ((c >> 8) & 0xFF) / 255f;
            d[2 * plane + i] = (c & 0xFF) / 255f;
        }
        return new RgbImage(img.width(), img.height(), d);
    }

    /** Index of the Lab triple in {@code labs} nearest to {@code lab}; the first one on ties. */
    public static int nearest(double[] lab, double[][] labs) {
        int best = 0;
        double bestDistance = Double.MAX_VALUE;
        for (int k = 0; k < labs.length; k++) {
            double dist = ColourSpace.distanceSquared(lab, labs[k]);
            if (dist < bestDistance) {
                bestDistance = dist;
                best = k;
            }
        }
        return best;
    }

    /** Each pixel becomes a {@code factor × factor} block. */
    public static RgbImage upscale(RgbImage img, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("upscale factor must be at least 1: " + factor);
        }
        if (factor == 1) {
            return img;
        }
        int w = img.width();
        int h = img.height();
        int ow = w * factor;
        int oh = h * factor;
        float[] src = img.data();
        float[] out = new float[3 * ow * oh];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < oh; y++) {
                int srcRow = (c * h + y / factor) * w;
                int dstRow = (c * oh + y) * ow;
                for (int x = 0; x < ow; x++) {
                    out[dstRow + x] = src[srcRow + x / factor];
                }
            }
        }
        return new RgbImage(ow, oh, out);
    }

    /** An opaque {@code TYPE_INT_RGB} image, channels rounded to 0..255 as {@link RgbImage#rgb}. */
    public static BufferedImage toBufferedImage(RgbImage img) {
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[img.width()];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                row[x] = img.rgb(x, y);
            }
            out.setRGB(0, y, img.width(), 1, row, 0, img.width());
        }
        return out;
    }

    /** The colour channels of any AWT image (alpha ignored) as floats {@code v / 255}. */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        float[] d = new float[3 * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int i = y * w + x;
                d[i] = ((p >> 16) & 0xFF) / 255f;
                d[plane + i] = ((p >> 8) & 0xFF) / 255f;
                d[2 * plane + i] = (p & 0xFF) / 255f;
            }
        }
        return new RgbImage(w, h, d);
    }
}
