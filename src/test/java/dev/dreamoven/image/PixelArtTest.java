package dev.dreamoven.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PixelArtTest {

    @Test
    void noneQuantizesEachChannelToSeventeenLevels() {
        // one row of 3 pixels: r = {0.03, 0.04, 0.5}, g = {0.97, 1.2, -0.1}, b = {0.53, 0.54, 0.79}
        RgbImage img = new RgbImage(3, 1, new float[] {0.03f, 0.04f, 0.5f, 0.97f, 1.2f, -0.1f, 0.53f, 0.54f, 0.79f});
        RgbImage q = PixelArt.quantize(img, Palette.NONE);
        assertThat(q.data()).containsExactly(0f, 0.0625f, 0.5f, 1f, 1f, 0f, 0.5f, 0.5625f, 0.8125f);
    }

    @Test
    void paletteQuantizationPicksTheNearestColour() {
        Palette bw = Palette.parse("#000000,#FFFFFF,#DC2828");
        RgbImage img = new RgbImage(4, 1, new float[] {
            0.1f, 0.9f, 0.8f, 0.45f, // r
            0.1f, 0.9f, 0.2f, 0.45f, // g
            0.1f, 0.9f, 0.1f, 0.45f, // b
        });
        RgbImage q = PixelArt.quantize(img, bw);
        assertThat(q.rgb(0, 0)).isEqualTo(0x000000);
        assertThat(q.rgb(1, 0)).isEqualTo(0xFFFFFF);
        assertThat(q.rgb(2, 0)).isEqualTo(0xDC2828);
        // mid grey sRGB 0.45 is perceptually lighter than half way (L* ~ 48), and still nearer black
        // than white in Lab only if below ~L* 50; check against the Lab distance directly
        double[] grey = ColourSpace.lab(0.45, 0.45, 0.45);
        int expected = ColourSpace.distanceSquared(grey, ColourSpace.lab(0)) < ColourSpace.distanceSquared(grey, ColourSpace.lab(0xFFFFFF))
                ? 0x000000 : 0xFFFFFF;
        assertThat(q.rgb(3, 0)).isEqualTo(expected);
    }

    @Test
    void gameboyMapsDarkBlueToTheDarkestGreen() {
        RgbImage navy = RgbImage.filled(2, 2, 0.05f, 0.05f, 0.3f);
        RgbImage q = PixelArt.quantize(navy, Palette.GAMEBOY);
        assertThat(q.rgb(1, 1)).isEqualTo(0x0F380F);
    }

    @Test
    void quantizedPaletteImagesUseOnlyPaletteColours() {
        float[] d = new float[3 * 8 * 8];
        for (int i = 0; i < d.length; i++) {
            d[i] = (i * 37 % 101) / 100f;
        }
        RgbImage q = PixelArt.quantize(new RgbImage(8, 8, d), Palette.PICO8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                assertThat(Palette.PICO8.colours()).contains(q.rgb(x, y));
            }
        }
    }

    @Test
    void upscaleRepeatsEachPixelAsABlock() {
        RgbImage img = new RgbImage(2, 1, new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f});
        RgbImage up = PixelArt.upscale(img, 3);
        assertThat(up.width()).isEqualTo(6);
        assertThat(up.height()).isEqualTo(3);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 6; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(up.get(c, x, y)).isEqualTo(img.get(c, x / 3, 0));
                }
            }
        }
    }

    @Test
    void bufferedImageRoundTripKeepsBytes() {
        RgbImage img = PixelArt.quantize(new RgbImage(2, 2, new float[] {
            0, 1, 0.5f, 0.25f, 1, 0, 0.75f, 0.125f, 0.5f, 0.5f, 0, 1}), Palette.NONE);
        RgbImage back = PixelArt.fromBufferedImage(PixelArt.toBufferedImage(img));
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                assertThat(back.rgb(x, y)).isEqualTo(img.rgb(x, y));
            }
        }
        assertThat(List.of(back.width(), back.height())).containsExactly(2, 2);
    }
}
