package dev.dreamoven.dream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.image.RgbImage;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layered palette drawing on a tiny random stand-in for CLIP (real autograd to the masks). */
class LayerCanvasTest {

    private static final List<Integer> PALETTE = List.of(0xDC2828, 0x28B43C, 0x2850DC, 0xF0DC28, 0x141414);
    private static ProjectionClip model;

    @BeforeAll
    static void start() {
        dev.dreamoven.clip.TorchRuntime.start(1, 1);
        model = new ProjectionClip(32, 7);
    }

    @AfterAll
    static void stop() {
        model.close();
    }

    static DreamSettings layered(int size, int steps) {
        DreamSettings s = DreamSettings.preset("normal");
        return s.toBuilder().size(size).steps(steps).frameEvery(0)
                .layers(new DreamSettings.Layers(3, size / 2, 2, 2, 0.3, 0.03, 1.0, 0.25, 0.8, 0.3, -1.5, 0.1, 4.0, 2,
                        PALETTE))
                .build();
    }

    private static GuidePlan toward(float[] target, int steps) {
        return GuidePlan.single(List.of(GuideTarget.of("t", target)), steps);
    }

    @Test
    void thePictureIsItsCellsInAtMostKPaletteColours() {
        DreamResult r = new Dreamer(model).dream(toward(ProjectionClip.randomTarget(3), 30), layered(32, 30), 5, null);
        RgbImage img = r.image();
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                colours.add(img.rgb(x, y));
                // 16 cells on 32 pixels: every 2×2 block is one cell
                assertThat(img.rgb(x, y)).isEqualTo(img.rgb(x - x % 2, y - y % 2));
            }
        }
        assertThat(colours).hasSizeBetween(1, 3);
        assertThat(PALETTE).containsAll(colours);
    }

    @Test
    void theGuidanceLossFallsAndTheSameSeedGivesTheSamePicture() {
        float[] target = ProjectionClip.randomTarget(4);
        double[] first = new double[1];
        double[] last = new double[1];
        DreamListener listener = new DreamListener() {
            @Override
            public void onStep(DreamProgress p) {
                if (p.step() == 1) {
                    first[0] = p.similarity();
                }
                last[0] = p.similarity();
            }
        };
        Dreamer dreamer = new Dreamer(model);
        DreamResult a = dreamer.dream(toward(target, 40), layered(32, 40), 9, listener);
        DreamResult b = dreamer.dream(toward(target, 40), layered(32, 40), 9, null);
        DreamResult c = dreamer.dream(toward(target, 40), layered(32, 40), 10, null);
        assertThat(last[0]).isGreaterThan(first[0]);
        assertThat(a.image()).isEqualTo(b.image());
        assertThat(a.image()).isNotEqualTo(c.image());
        assertThat(a.imageEmbeddingPerStep()).hasNumberOfRows(40);
    }

    @Test
    void theColourSearchFindsTheColoursOfAPictureTheGuideWasShown() {
        // A guide that sees only the first two moments of the colours, shown a blue picture with a
        // yellow square: the search must paint yellow on blue, whatever its blobs look like.
        int r = 32;
        float[] pixels = new float[3 * r * r];
        float[] blue = LayerCanvas.rgb(0x2850DC);
        float[] yellow = LayerCanvas.rgb(0xF0DC28);
        for (int y = 0; y < r; y++) {
            for (int x = 0; x < r; x++) {
                float[] c = x >= 10 && x < 22 && y >= 10 && y < 22 ? yellow : blue;
                for (int ch = 0; ch < 3; ch++) {
                    pixels[(ch * r + y) * r + x] = (c[ch] - ClipImages.mean()[ch]) / ClipImages.std()[ch];
                }
            }
        }
        try (NDManager m = NDManager.newBaseManager(); PooledColours guide = new PooledColours(r)) {
            float[] target = guide.encodeImage(m.create(pixels, new Shape(1, 3, r, r))).toFloatArray();
            int[] colours = new ColourSearch(guide, List.of(target), List.of(1.0))
                    .choose(PALETTE.stream().mapToInt(Integer::intValue).toArray(), 2, new Random(1), m);
            assertThat(colours).containsExactly(0x2850DC, 0xF0DC28);
            int[] three = new ColourSearch(guide, List.of(target), List.of(1.0))
                    .choose(PALETTE.stream().mapToInt(Integer::intValue).toArray(), 3, new Random(1), m);
            assertThat(three[0]).isEqualTo(0x2850DC);
            assertThat(three).contains(0xF0DC28);
        }
    }

    /** A stand-in guide whose embedding is the mean and the mean square of each colour channel. */
    private static final class PooledColours implements dev.dreamoven.clip.ClipModel {
        private final int resolution;

        PooledColours(int resolution) {
            this.resolution = resolution;
        }

        @Override
        public String id() {
            return "pooled-colours";
        }

        @Override
        public ai.djl.Device device() {
            return Engine.getInstance().defaultDevice();
        }

        @Override
        public dev.dreamoven.clip.ClipConfig config() {
            return new dev.dreamoven.clip.ClipConfig(6, resolution, 1, 64, resolution / 4, 77, 64, 64, 1);
        }

        @Override
        public NDArray encodeImage(NDArray pixels) {
            long n = pixels.getShape().get(0);
            NDArray flat = pixels.reshape(n, 3, (long) resolution * resolution);
            return flat.mean(new int[] {2}).concat(flat.square().mean(new int[] {2}), 1); // [N, 6]
        }

        @Override
        public NDArray encodeText(NDArray tokens) {
            throw new UnsupportedOperationException("pictures only");
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aStepLeavesNothingBehindInTheCanvasManager() {
        try (NDManager run = NDManager.newBaseManager()) {
            LayerCanvas canvas = new LayerCanvas(layered(32, 10).layers(), 32, 10,
                    new int[] {0x2850DC, 0xF0DC28, 0xDC2828}, run, new Random(3));
            NDArray mean = run.create(ClipImages.mean(), new Shape(1, 3, 1, 1));
            int before = run.getManagedArrays().size();
            Random rnd = new Random(4);
            for (int step = 0; step < 10; step++) {
                try (NDManager scope = run.newSubManager()) {
                    mean.tempAttach(scope);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray x = canvas.draw(scope, step / 10.0);
                        NDArray loss = model.encodeImage(canvas.views(x, 32, rnd).sub(mean)).sum()
                                .add(canvas.regularizers(x, step / 10.0));
                        collector.backward(loss);
                    }
                    canvas.update(step);
                }
            }
            canvas.picture(32);
            // the Adam moments of the pyramid levels are made once, at the first update
            assertThat(run.getManagedArrays().size()).isLessThanOrEqualTo(before + 4 * 2 + 4);
            canvas.close();
        }
    }

    @Test
    void theFrameLowersTheEdgeCellsMostAndLeavesTheMiddleAlone() {
        int cells = 8;
        float[] frame = LayerCanvas.frameBias(cells, 4.0, 2);
        assertThat(frame[0]).isEqualTo(-4f); // a corner
        assertThat(frame[3]).isEqualTo(-4f); // the top edge
        assertThat(frame[cells + 3]).isEqualTo(-2f); // one cell in
        assertThat(frame[2 * cells + 3]).isZero(); // two cells in: the middle
        assertThat(frame[3 * cells + 3]).isZero();
        assertThat(LayerCanvas.frameBias(cells, 0, 2)).containsOnly(0f);
        assertThatThrownBy(() -> new DreamSettings.Layers(3, 8, 2, 2, 0.3, 0.03, 1, 0.25, 0.8, 0.3, -1.5, 0.1, 4, 5,
                List.of())).isInstanceOf(InvalidInputException.class).hasMessageContaining("frame");
    }

    @Test
    void theInterpolationMatricesAreThoseOfPyTorch() {
        // bilinear 2 → 4 (align_corners=False): rows [1,0], [.75,.25], [.25,.75], [0,1]
        assertThat(LayerCanvas.bilinear(2, 4)).containsExactly(1f, 0f, 0.75f, 0.25f, 0.25f, 0.75f, 0f, 1f);
        assertThat(LayerCanvas.nearest(2, 4)).containsExactly(1f, 0f, 1f, 0f, 0f, 1f, 0f, 1f);
        assertThat(LayerCanvas.pyramid(32)).containsExactly(4, 8, 16, 32);
        assertThat(LayerCanvas.pyramid(20)).containsExactly(4, 8, 16, 20);
    }
}
