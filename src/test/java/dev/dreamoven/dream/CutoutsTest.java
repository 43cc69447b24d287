package dev.dreamoven.dream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CutoutsTest {

    private NDManager m;
    private NDArray img; // 1 channel repeated ×3, 4×4, value = 10·y + x

    @BeforeAll
    static void torch() {
        dev.dreamoven.clip.TorchRuntime.start(1, 1);
    }

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
        float[] v = new float[3 * 16];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    v[c * 16 + y * 4 + x] = 10 * y + x;
                }
            }
        }
        img = m.create(v, new Shape(1, 3, 4, 4));
    }

    @AfterEach
    void close() {
        m.close();
    }

    private float[] firstChannel(NDArray views) {
        float[] all = views.toFloatArray();
        int per = all.length / (int) views.getShape().get(0) / 3;
        float[] out = new float[per];
        System.arraycopy(all, 0, out, 0, per);
        return out;
    }

    @Test
    void theWholeViewAtTheSameSizeIsTheImage() {
        NDArray v = Cutouts.render(img, List.of(Cutouts.View.whole(4, 4)), 4, null, null);
        assertThat(v.getShape()).isEqualTo(new Shape(1, 3, 4, 4));
        assertThat(v.toFloatArray()).containsExactly(img.toFloatArray(), within(1e-5f));
    }

    @Test
    void aFlipMirrorsLeftRight() {
        NDArray v = Cutouts.render(img, List.of(new Cutouts.View(2, 2, 4, 0, true, 0, false)), 4, null, null);
        assertThat(firstChannel(v)).containsExactly(new float[] {3, 2, 1, 0, 13, 12, 11, 10, 23, 22, 21, 20, 33, 32, 31, 30},
                within(1e-5f));
    }

    @Test
    void aShiftedWindowWrapsAroundTheEdge() {
        // centre moved one pixel right: columns 1, 2, 3 then column 0 again
        NDArray v = Cutouts.render(img, List.of(new Cutouts.View(3, 2, 4, 0, false, 0, true)), 4, null, null);
        assertThat(firstChannel(v)).startsWith(1, 2, 3, 0, 11, 12, 13, 10);
    }

    @Test
    void aQuarterTurnRotatesThePicture() {
        NDArray v = Cutouts.render(img, List.of(new Cutouts.View(2, 2, 4, Math.PI / 2, false, 0, false)), 4, null, null);
        // output (u, v) samples source (x, y) = (3 − v, u): the first row reads column 3 top to bottom
        assertThat(firstChannel(v)).startsWith(new float[] {3, 13, 23, 33}, within(1e-4f));
    }

    @Test
    void halfSizeCropsAreInterpolatedBilinearly() {
        // window of side 2 centred at (2, 2) sampled at 4×4: sample points x = 1.25, 1.75, 2.25, 2.75 (minus 0.5)
        NDArray v = Cutouts.render(img, List.of(new Cutouts.View(2, 2, 2, 0, false, 0, false)), 4, null, null);
        float[] c = firstChannel(v);
        assertThat(c[0]).isCloseTo(10 * 0.75f + 0.75f, within(1e-5f));
        assertThat(c[1]).isCloseTo(10 * 0.75f + 1.25f, within(1e-5f));
    }

    @Test
    void resizingUpKeepsTheMeanOfAConstantAndInterpolatesARamp() {
        NDArray ramp = m.create(new float[] {0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1}, new Shape(1, 3, 2, 2));
        float[] up = firstChannel(Cutouts.resize(ramp, 4));
        assertThat(up).startsWith(new float[] {0, 0.25f, 0.75f, 1}, within(1e-6f));
    }

    @Test
    void noiseHasTheRequestedSpreadAndTheWholeViewGetsNone() {
        NDArray flat = m.full(new Shape(1, 3, 8, 8), 0.5f);
        NDArray v = Cutouts.render(flat, List.of(Cutouts.View.whole(8, 8), new Cutouts.View(4, 4, 8, 0, false, 0.1, true)),
                32, Cutouts.NoiseBank.create(m, 32, 4, new Random(2)), new Random(1));
        float[] all = v.toFloatArray();
        int per = 3 * 32 * 32;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < per; i++) {
            assertThat(all[i]).isEqualTo(0.5f);
            double d = all[per + i] - 0.5;
            sum += d;
            sq += d * d;
        }
        assertThat(Math.sqrt(sq / per - (sum / per) * (sum / per))).isCloseTo(0.1, within(0.005));
    }

    @Test
    void samplingIsDeterministicAndRespectsTheSettings() {
        DreamSettings.Views s = DreamSettings.preset("normal").toBuilder().cutScales(0.5, 0.5).cutouts(5).build().views();
        List<Cutouts.View> a = Cutouts.sample(s, 64, 64, new Random(9));
        List<Cutouts.View> b = Cutouts.sample(s, 64, 64, new Random(9));
        assertThat(a).isEqualTo(b).hasSize(6);
        assertThat(a.get(0)).isEqualTo(Cutouts.View.whole(64, 64));
        for (Cutouts.View view : a.subList(1, 6)) {
            assertThat(view.side()).isCloseTo(32, within(1e-9));
            assertThat(Math.abs(Math.toDegrees(view.angle()))).isLessThanOrEqualTo(s.rotationDegrees());
        }
    }
}
