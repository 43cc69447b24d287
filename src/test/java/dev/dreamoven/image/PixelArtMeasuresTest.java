package dev.dreamoven.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PixelArtMeasuresTest {

    @Test
    void aFlatPictureHasOneColourNoIsolatedPixelsAndEveryPairAlike() {
        PixelArtMeasures m = PixelArtMeasures.of(RgbImage.filled(8, 8, 0.2f, 0.4f, 0.6f));
        assertThat(m).isEqualTo(new PixelArtMeasures(1, 0, 1));
    }

    @Test
    void aCheckerboardIsAllIsolatedPixelsAndNoPairAlike() {
        float[] d = new float[3 * 16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                d[y * 4 + x] = (x + y) % 2;
            }
        }
        PixelArtMeasures m = PixelArtMeasures.of(new RgbImage(4, 4, d));
        assertThat(m).isEqualTo(new PixelArtMeasures(2, 1, 0));
    }

    @Test
    void oneOddPixelInTheMiddleIsOneIsolatedPixelAndFourUnlikePairs() {
        float[] d = new float[3 * 25];
        d[2 * 5 + 2] = 1; // red in the middle of black
        PixelArtMeasures m = PixelArtMeasures.of(new RgbImage(5, 5, d));
        assertThat(m.colours()).isEqualTo(2);
        assertThat(m.isolated()).isCloseTo(1 / 25.0, within(1e-12));
        assertThat(m.alike()).isCloseTo(36 / 40.0, within(1e-12)); // 2·5·4 = 40 pairs
    }
}
