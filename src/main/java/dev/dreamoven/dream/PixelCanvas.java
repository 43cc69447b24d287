package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.clip.ScalarOps;
import dev.dreamoven.image.RgbImage;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Free pixels, the seed scripts' way (docs/design.md §3): an RGB picture optimized directly, with
 * cut-outs, octaves coarse to fine, normalized gradients, a pixel optimizer on a cosine schedule and
 * a clamp to [0, 1] after every step.
 */
final class PixelCanvas implements Canvas {

    private static final Logger LOG = LoggerFactory.getLogger(PixelCanvas.class);

    /** Noise images made per dream; views draw from them (see {@link Cutouts.NoiseBank}). */
    static final int NOISE_IMAGES = 16;

    private final DreamSettings settings;
    private final NDManager run;
    private final PixelOptimizer optimizer;
    private final CosineSchedule schedule;
    /** Noise images per view resolution: one for a model, one per member resolution of an ensemble. */
    private final java.util.Map<Integer, Cutouts.NoiseBank> noiseBanks = new java.util.HashMap<>();
    private int octave;
    private int side;
    private NDArray picture; // [1, 3, s, s]
    private NDArray leaf; // this step's copy of the picture that takes the gradient

    /**
     * Draws the starting picture, then the views' noise bank, from {@code rnd} (in that order).
     *
     * @param init starting picture (any size, resized to the first octave), or null for seeded noise
     *     around grey
     */
    PixelCanvas(DreamSettings settings, int totalSteps, int resolution, NDManager run,
            Function<NDManager, PixelOptimizer> optimizers, Random rnd, RgbImage init) {
        this.settings = settings;
        this.run = run;
        this.optimizer = optimizers.apply(run);
        this.schedule = CosineSchedule.of(settings.schedule(), totalSteps);
        this.side = settings.octaveSize(0);
        this.picture = initialPicture(run, side, rnd, init);
        if (settings.views().noise() > 0) {
            noiseBanks.put(resolution, Cutouts.NoiseBank.create(run, resolution, NOISE_IMAGES, rnd));
        }
    }

    /** The optimizer (tests count its resets). */
    PixelOptimizer optimizer() {
        return optimizer;
    }

    @Override
    public void beforeStep(int step, int total) {
        int octaves = settings.schedule().octaves();
        int wanted = Math.min(octaves - 1, (int) ((long) step * octaves / total));
        if (wanted != octave) {
            octave = wanted;
            side = settings.octaveSize(octave);
            NDArray next = upsample(run, picture, side);
            picture.close();
            picture = next;
            optimizer.reset();
        }
    }

    @Override
    public NDArray draw(NDManager step, double progress) {
        picture.tempAttach(step);
        leaf = picture.duplicate(); // [1, 3, s, s], the leaf the gradient lands on
        leaf.setRequiresGradient(true);
        return leaf;
    }

    @Override
    public NDArray views(NDArray x, int resolution, Random rnd) {
        List<Cutouts.View> views = Cutouts.sample(settings.views(), side, side, rnd);
        // A second resolution (an ensemble member's) gets its bank on first use, drawn from the
        // same seeded Random, so a dream stays reproducible.
        Cutouts.NoiseBank noiseBank = settings.views().noise() > 0
                ? noiseBanks.computeIfAbsent(resolution, r -> Cutouts.NoiseBank.create(run, r, NOISE_IMAGES, rnd))
                : null;
        return Cutouts.render(x, views, resolution, noiseBank, rnd); // [N, 3, R, R]
    }

    @Override
    public NDArray regularizers(NDArray x, double progress) {
        DreamSettings.Regularizers s = settings.regularizers();
        NDArray total = ScalarOps.mul(x.mean(), 0);
        if (s.maskedTv() > 0) {
            NDArray mask = MaskedTotalVariation.mask(x); // from the current picture, without gradient
            total = total.add(ScalarOps.mul(MaskedTotalVariation.loss(x, mask), s.maskedTv()));
        }
        return total;
    }

    @Override
    public void update(int step) {
        NDArray grad = leaf.getGradient();
        if (!Dreamer.allFinite(grad)) {
            // One non-finite value would spread through the optimizer's moments to every pixel
            // for the rest of the dream (and make the final similarity NaN): skip this update.
            LOG.warn("dream step skipped: the gradient is not finite");
            return;
        }
        grad = GradientNormalization.apply(grad);
        optimizer.step(picture, grad, schedule.at(step));
        clampToUnit(picture);
    }

    @Override
    public void resetOptimizer() {
        optimizer.reset();
    }

    @Override
    public RgbImage picture(int size) {
        return fullSize(picture.toFloatArray(), side, size);
    }

    @Override
    public void close() {
        optimizer.close();
    }

    /**
     * Clips the picture to [0, 1] in place. Copies the clipped values over the picture's own: the
     * earlier {@code muli(0).addi(clipped)} turned an infinite value into NaN (∞ · 0), which no later
     * clip could undo.
     */
    static void clampToUnit(NDArray picture) {
        picture.set(new NDIndex("..."), picture.clip(0f, 1f));
    }

    /** The given picture resized, else uniform noise in [0.25, 0.75) from {@code rnd}. */
    private static NDArray initialPicture(NDManager run, int side, Random rnd, RgbImage init) {
        if (init != null) {
            try (NDManager scope = run.newSubManager()) {
                NDArray source = scope.create(init.data(), new Shape(1, 3, init.height(), init.width()));
                NDArray resized = Cutouts.render(source, List.of(Cutouts.View.whole(init.height(), init.width())), side, null, null)
                        .clip(0f, 1f);
                resized.attach(run);
                return resized;
            }
        }
        float[] values = new float[3 * side * side];
        for (int i = 0; i < values.length; i++) {
            values[i] = 0.25f + 0.5f * rnd.nextFloat();
        }
        return run.create(values, new Shape(1, 3, side, side));
    }

    /** The picture bilinearly upsampled to {@code side}, in {@code run}. */
    private static NDArray upsample(NDManager run, NDArray picture, int side) {
        try (NDManager scope = run.newSubManager()) {
            picture.tempAttach(scope);
            NDArray up = Cutouts.resize(picture, side).clip(0f, 1f);
            up.attach(run);
            return up;
        }
    }

    /** {@code [3, side, side]} values → the picture at {@code size}, nearest neighbour. */
    static RgbImage fullSize(float[] pixels, int side, int size) {
        if (side == size) {
            return new RgbImage(size, size, pixels);
        }
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                int sy = y * side / size;
                for (int x = 0; x < size; x++) {
                    out[(c * size + y) * size + x] = pixels[(c * side + sy) * side + x * side / size];
                }
            }
        }
        return new RgbImage(size, size, out);
    }
}
