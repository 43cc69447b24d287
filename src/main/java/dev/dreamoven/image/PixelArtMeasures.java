package dev.dreamoven.image;

import java.util.HashSet;
import java.util.Set;

/**
 * How much a picture looks like pixel art, measured at its own size (8 bits a channel):
 *
 * @param colours distinct colours
 * @param isolated share of pixels unlike each of their (up to 4) horizontal and vertical neighbours
 * @param alike share of horizontally or vertically adjacent pixel pairs that are equal
 */
public record PixelArtMeasures(int colours, double isolated, double alike) {

    public static PixelArtMeasures of(RgbImage img) {
        int w = img.width();
        int h = img.height();
        int[] rgb = new int[w * h];
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[y * w + x] = img.rgb(x, y);
                colours.add(rgb[y * w + x]);
            }
        }
        int isolated = 0;
        int pairs = 0;
        int alike = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int c = rgb[y * w + x];
                boolean lonely = (x == 0 || rgb[y * w + x - 1] != c) && (x == w - 1 || rgb[y * w + x + 1] != c)
                        && (y == 0 || rgb[(y - 1) * w + x] != c) && (y == h - 1 || rgb[(y + 1) * w + x] != c);
                isolated += lonely && w * h > 1 ? 1 : 0;
                if (x + 1 < w) {
                    pairs++;
                    alike += rgb[y * w + x + 1] == c ? 1 : 0;
                }
                if (y + 1 < h) {
                    pairs++;
                    alike += rgb[(y + 1) * w + x] == c ? 1 : 0;
                }
            }
        }
        return new PixelArtMeasures(colours.size(), isolated / (double) (w * h), pairs == 0 ? 1 : alike / (double) pairs);
    }
}
