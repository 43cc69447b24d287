package dev.dreamoven.dream;

import dev.dreamoven.common.InvalidInputException;
import java.util.List;
import java.util.Locale;

/**
 * Every knob of a dream, immutable, in small records: what the picture is ({@link Output}), how it
 * is drawn ({@link Drawing}); for the layered drawing its layers, masks and views ({@link Layers});
 * for free pixels how CLIP looks at them each step ({@link Views}), how they move
 * ({@link Schedule}) and what keeps them a picture ({@link Regularizers}). Start from a
 * {@link Preset} ({@link #preset(String)}) and change knobs with {@link #toBuilder()}; every record
 * validates itself and refuses nonsense with {@link InvalidInputException} (one line for the user).
 * The free-pixel records hold only knobs that some path (preset, request, bake, lab) sets; the rest
 * of that dream is fixed in {@code PixelCanvas}, and knobs that were never reachable are gone
 * (docs/experiments.md), though {@link #describe()} still names them. {@link Layers} still holds the
 * layered drawing's whole tuning, most of which only its presets and tests set.
 *
 * <p>Scales: the guidance loss is a mean spherical distance (0..π²/2, about 0.6–0.9 for a random
 * picture); the regularizers are means over pixels, so their weights do not depend on the size.
 */
public record DreamSettings(Output output, Drawing drawing, Views views, Schedule schedule, Regularizers regularizers,
        Layers layers) {

    public static final int MIN_SIZE = 16;
    public static final int MAX_SIZE = 256;
    public static final int MAX_STEPS = 100_000;
    /** The preset names, for messages and help. */
    public static final String PRESET_CHOICES = "draft, normal, best, pixels-draft, pixels or pixels-best";

    /**
     * What the dream optimizes: palette layers with masks on a cell grid ({@link Layers}; pixel art
     * by construction, the default), or free pixels (the seed scripts' dream; {@link Views},
     * {@link Schedule}, {@link Regularizers}).
     */
    public enum Drawing { LAYERS, PIXELS }

    /**
     * The named presets, one row each; everything not in the table is {@link #COMMON}. The first
     * three draw palette layers ({@link Drawing#LAYERS}); the {@code pixels} rows are the free-pixel
     * dream as it was before layers (Adam with a cosine schedule, normalized gradients, masked TV,
     * octaves coarse to fine).
     */
    public enum Preset {
        //                  drawing         steps  views  octaves  learning rate  frame every
        DRAFT(              Drawing.LAYERS,    40,     4,       1,           0.3,           4),
        NORMAL(             Drawing.LAYERS,    60,     4,       1,           0.3,           5),
        BEST(               Drawing.LAYERS,   120,     8,       1,           0.3,          10),
        PIXELS_DRAFT(       Drawing.PIXELS,   100,     4,       2,          0.05,           5),
        PIXELS(             Drawing.PIXELS,   250,     8,       3,          0.05,          10),
        PIXELS_BEST(        Drawing.PIXELS,   600,    16,       3,          0.04,          20);

        final Drawing drawing;
        final int steps;
        final int views;
        final int octaves;
        final double learningRate;
        final int frameEvery;

        Preset(Drawing drawing, int steps, int views, int octaves, double learningRate, int frameEvery) {
            this.drawing = drawing;
            this.steps = steps;
            this.views = views;
            this.octaves = octaves;
            this.learningRate = learningRate;
            this.frameEvery = frameEvery;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** "draft: layered drawing, 40 steps, 4 shifted views a step", for help texts. */
        public String describe() {
            if (drawing == Drawing.PIXELS) {
                return label() + ": free pixels, " + steps + " steps, " + views
                        + " random views (cut-outs) of the picture a step, " + octaves + " octaves coarse to fine";
            }
            return label() + ": layered palette drawing, " + steps + " steps, " + views
                    + " shifted views of the picture a step";
        }

        /** This row over {@link #COMMON}: views are cut-outs for pixels, shifted copies for layers. */
        public DreamSettings settings() {
            Builder b = COMMON.toBuilder().drawing(drawing).steps(steps).frameEvery(frameEvery);
            if (drawing == Drawing.PIXELS) {
                return b.cutouts(views).octaves(octaves).learningRate(learningRate).build();
            }
            return b.layers(COMMON.layers.withViews(views, learningRate)).build();
        }
    }

    /** What every preset shares. */
    private static final DreamSettings COMMON = new DreamSettings(
            new Output(64, 10),
            Drawing.LAYERS,
            new Views(8, 0.5, 1.0, 0.25, 10, 0.05, true, true),
            new Schedule(250, 0.05, 3),
            new Regularizers(0.5),
            new Layers(3, 32, 4, 4, 0.3, 0.03, 1.0, 0.25, 0.8, 0.3, -1.5, 0.1, 4.0, 4, List.of()));

    /**
     * The picture the dream makes.
     *
     * @param size side of the square picture in pixels, 16–256
     * @param frameEvery keep a timelapse frame every this many steps, 0 for none
     */
    public record Output(int size, int frameEvery) {
        public Output {
            checkSize(size);
            if (frameEvery < 0) {
                throw new InvalidInputException("frame interval must be 0 or more, got " + frameEvery);
            }
        }
    }

    /**
     * How CLIP looks at the picture each step ({@link Cutouts}).
     *
     * @param cutouts random views per step, 0–64 (plus the whole-image view when {@code wholeView})
     * @param cutMinScale smallest crop side as a fraction of the picture side (0.05–2)
     * @param cutMaxScale largest crop side as a fraction of the picture side (≥ min, ≤ 2)
     * @param shift largest random wrap-around shift of a view, as a fraction of the side (0–1)
     * @param rotationDegrees largest random rotation of a view either way (0–180)
     * @param noise standard deviation of the Gaussian noise added to every random view (0–1)
     * @param flip mirror half of the random views left-right
     * @param wholeView also show CLIP the whole picture, unaugmented, every step
     */
    public record Views(int cutouts, double cutMinScale, double cutMaxScale, double shift, double rotationDegrees,
            double noise, boolean flip, boolean wholeView) {
        public Views {
            if (cutouts < 0 || cutouts > 64) {
                throw new InvalidInputException("cutouts must be between 0 and 64, got " + cutouts);
            }
            if (cutouts == 0 && !wholeView) {
                throw new InvalidInputException("a dream needs cutouts or the whole-image view");
            }
            if (!(cutMinScale >= 0.05 && cutMinScale <= cutMaxScale && cutMaxScale <= 2)) {
                throw new InvalidInputException("cut scales need 0.05 <= min <= max <= 2, got " + cutMinScale + ".."
                        + cutMaxScale);
            }
            check("shift", shift, 0, 1);
            check("rotation", rotationDegrees, 0, 180);
            check("noise", noise, 0, 1);
        }
    }

    /**
     * How the pixels move. The rest is fixed (see {@code PixelCanvas}): the picture starts as seeded
     * noise around grey; each step the gradient is divided by its standard deviation, Adam moves the
     * pixels at the rate of a {@link CosineSchedule} (warm-up, then down to a tenth of the peak) and
     * the pixels are clamped to [0, 1].
     *
     * @param steps optimization steps of a normal dream (a {@link GuidePlan} brings its own)
     * @param learningRate Adam's peak step size (pixels are 0..1)
     * @param octaves resolutions coarse to fine: octave k of K works at size / 2^(K−1−k), min 8 px
     */
    public record Schedule(int steps, double learningRate, int octaves) {
        public Schedule {
            if (steps < 1 || steps > MAX_STEPS) {
                throw new InvalidInputException("steps must be between 1 and " + MAX_STEPS + ", got " + steps);
            }
            if (!(learningRate > 0 && learningRate <= 10)) {
                throw new InvalidInputException("learning rate must be in (0, 10], got " + learningRate);
            }
            if (octaves < 1 || octaves > 5) {
                throw new InvalidInputException("octaves must be between 1 and 5, got " + octaves);
            }
        }
    }

    /**
     * What keeps the pixels a picture; 0 switches a term off.
     *
     * @param maskedTv seed 000's masked total variation Σ M·(ΔI)²: smooths noise and flat areas, keeps edges
     */
    public record Regularizers(double maskedTv) {
        public Regularizers {
            check("masked TV weight", maskedTv, 0, 1e6);
        }
    }

    /**
     * The layered drawing ({@link LayerCanvas}): a background and {@code layers − 1} painted layers,
     * each a palette colour and a mask on {@code cells × cells} cells.
     *
     * @param layers K, 2–8: the background and K−1 painted layers
     * @param cells side of the mask grid (at most the picture's side; 32 on a 64 px picture = 2 px cells)
     * @param views shifted copies of the whole picture CLIP sees each step, besides the picture itself
     * @param maxShift largest shift of a view, whole pixels either way (edges repeated)
     * @param learningRate Adam's peak rate on the mask logits
     * @param endLearningRate where the cosine schedule ends
     * @param startTemperature the masks' sigmoid temperature at the start
     * @param endTemperature … and at the end (falling geometrically)
     * @param hardFrom fraction of the run from which masks are hard (straight-through gradients)
     * @param maskTv weight of the total variation of the masks (keeps regions whole)
     * @param initLogit the masks' starting logit (−1.5: about 18 % painted)
     * @param initNoise standard deviation of each pyramid level's random start
     * @param frameBias how far the mask logits are lowered at the picture's edge (0: not at all), falling
     *     linearly to nothing {@code frameCells} cells in: painted layers keep off the frame unless the
     *     guide insists, so the subject is not cut by the edge
     * @param frameCells width of that margin in cells
     * @param palette candidate colours (0xRRGGBB) the colour search picks from; empty: the caller
     *     resolves it (the model's recommended palette, else PICO-8)
     */
    public record Layers(int layers, int cells, int views, int maxShift, double learningRate, double endLearningRate,
            double startTemperature, double endTemperature, double hardFrom, double maskTv, double initLogit,
            double initNoise, double frameBias, int frameCells, List<Integer> palette) {
        public Layers {
            if (layers < 2 || layers > 8) {
                throw new InvalidInputException("layers must be between 2 and 8, got " + layers);
            }
            if (cells < 4 || cells > MAX_SIZE) {
                throw new InvalidInputException("cells must be between 4 and " + MAX_SIZE + ", got " + cells);
            }
            if (views < 0 || views > 64) {
                throw new InvalidInputException("views must be between 0 and 64, got " + views);
            }
            if (maxShift < 0 || maxShift > 32) {
                throw new InvalidInputException("the view shift must be between 0 and 32 pixels, got " + maxShift);
            }
            if (!(learningRate > 0 && learningRate <= 10)) {
                throw new InvalidInputException("learning rate must be in (0, 10], got " + learningRate);
            }
            check("end learning rate", endLearningRate, 0, learningRate);
            if (!(startTemperature > 0 && endTemperature > 0 && startTemperature <= 100 && endTemperature <= 100)) {
                throw new InvalidInputException("mask temperatures must be in (0, 100]");
            }
            check("hard-from fraction", hardFrom, 0, 1);
            check("mask TV weight", maskTv, 0, 1e6);
            check("starting logit", initLogit, -20, 20);
            check("starting noise", initNoise, 0, 10);
            check("frame bias", frameBias, 0, 20);
            if (frameCells < 1 || frameCells > cells / 2) {
                throw new InvalidInputException("the frame must be 1 to " + cells / 2 + " cells wide, got " + frameCells);
            }
            palette = List.copyOf(palette);
        }

        /** The same with another view count and peak rate (the end rate keeps its ratio to the peak). */
        Layers withViews(int newViews, double newLearningRate) {
            return new Layers(layers, cells, newViews, maxShift, newLearningRate,
                    endLearningRate * newLearningRate / learningRate, startTemperature, endTemperature, hardFrom,
                    maskTv, initLogit, initNoise, frameBias, frameCells, palette);
        }

        /** The same with these candidate colours. */
        public Layers withPalette(List<Integer> colours) {
            return new Layers(layers, cells, views, maxShift, learningRate, endLearningRate, startTemperature,
                    endTemperature, hardFrom, maskTv, initLogit, initNoise, frameBias, frameCells, colours);
        }
    }

    public DreamSettings {
        if (output == null || drawing == null || views == null || schedule == null || regularizers == null
                || layers == null) {
            throw new IllegalArgumentException("every part of the settings must be given");
        }
    }

    /**
     * A preset by name: {@code draft} (a quick look, seconds on a small model), {@code normal},
     * {@code best}, or the free-pixel {@code pixels-draft}, {@code pixels}, {@code pixels-best};
     * null means {@code normal}.
     */
    public static DreamSettings preset(String name) {
        String key = name == null ? "normal" : name.trim().toLowerCase(Locale.ROOT);
        for (Preset p : Preset.values()) {
            if (p.label().equals(key)) {
                return p.settings();
            }
        }
        throw new InvalidInputException("unknown preset '" + name + "' (" + PRESET_CHOICES + ")");
    }

    /** The picture side must lie in 16..256; callers that check early (before a model loads) use this too. */
    public static void checkSize(int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new InvalidInputException("size must be between " + MIN_SIZE + " and " + MAX_SIZE + " pixels, got " + size);
        }
    }

    private static void check(String name, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new InvalidInputException(name + " must be between " + min + " and " + max + ", got " + v);
        }
    }

    public int size() {
        return output.size();
    }

    public int steps() {
        return schedule.steps();
    }

    /** Side of octave {@code k} (0 = coarsest) of the schedule's octaves. */
    public int octaveSize(int k) {
        return Math.max(Math.min(8, size()), size() >> (schedule.octaves() - 1 - k));
    }

    /**
     * The settings as one line, as every PNG has carried them in its {@code settings} text chunk since
     * the first version: the same settings give the same line, so pictures stay byte-identical. The
     * line also names knobs that are gone, with the one value they had in every dream, so that old
     * pictures and the golden files' hashes keep their line: two that never had an effect
     * (previewEvery=10, quantizeLevels=17; the preview cadence is the transport's, the output levels
     * the palette's), the pixel optimizer (optimizer=ADAM, weightDecay=0.0; AdamW and ClampSGD were
     * never reachable), the regularizers that were off in every preset (tvWeight=0.0 …
     * saturationMin=0.0) and the step's fixed parts (cosineSchedule=true, gradientNormalization=true,
     * init=NOISE, clamp=true; warm-up and floor are {@link CosineSchedule}'s constants); see
     * docs/experiments.md.
     */
    public String describe() {
        if (drawing == Drawing.LAYERS) {
            Layers l = layers;
            return "DreamSettings[drawing=layers, size=" + size() + ", steps=" + steps() + ", layers=" + l.layers()
                    + ", cells=" + l.cells() + ", views=" + l.views() + ", maxShift=" + l.maxShift() + ", learningRate="
                    + l.learningRate() + ", endLearningRate=" + l.endLearningRate() + ", temperature="
                    + l.startTemperature() + ".." + l.endTemperature() + ", hardFrom=" + l.hardFrom() + ", maskTv="
                    + l.maskTv() + ", initLogit=" + l.initLogit() + ", initNoise=" + l.initNoise()
                    + (l.frameBias() > 0 ? ", frame=" + l.frameBias() + "x" + l.frameCells() : "") + ", frameEvery="
                    + output.frameEvery() + "]";
        }
        Views v = views;
        Schedule s = schedule;
        Regularizers r = regularizers;
        // Removed knobs keep their place with the one value they always had (optimizer, weightDecay,
        // cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, tvWeight … saturationMin,
        // init, clamp, previewEvery, quantizeLevels): old PNGs and the golden file hashes carry this line.
        return "DreamSettings[size=" + size() + ", steps=" + s.steps() + ", cutouts=" + v.cutouts()
                + ", cutMinScale=" + v.cutMinScale() + ", cutMaxScale=" + v.cutMaxScale() + ", shift=" + v.shift()
                + ", rotationDegrees=" + v.rotationDegrees() + ", noise=" + v.noise() + ", flip=" + v.flip()
                + ", wholeView=" + v.wholeView() + ", optimizer=ADAM, learningRate=" + s.learningRate()
                + ", weightDecay=0.0, cosineSchedule=true, warmupSteps=" + CosineSchedule.WARMUP_STEPS
                + ", minLearningRate=" + CosineSchedule.MIN_FRACTION + ", gradientNormalization=true"
                + ", maskedTvWeight=" + r.maskedTv()
                + ", tvWeight=0.0, rangeWeight=0.0, stdWeight=0.0, stdTarget=0.25, saturationWeight=0.0,"
                + " saturationMax=0.08, saturationMin=0.0, octaves=" + s.octaves() + ", init=NOISE, clamp=true"
                + ", previewEvery=10, frameEvery=" + output.frameEvery() + ", quantizeLevels=17]";
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some knobs of settings; {@link #build()} validates the result. */
    public static final class Builder {
        private int size;
        private int frameEvery;
        private Drawing drawing;
        private Layers layers;
        private int cutouts;
        private double cutMinScale;
        private double cutMaxScale;
        private double shift;
        private double rotationDegrees;
        private double noise;
        private boolean flip;
        private boolean wholeView;
        private int steps;
        private double learningRate;
        private int octaves;
        private Regularizers regularizers;

        private Builder(DreamSettings s) {
            size = s.output.size();
            frameEvery = s.output.frameEvery();
            drawing = s.drawing;
            layers = s.layers;
            Views v = s.views;
            cutouts = v.cutouts();
            cutMinScale = v.cutMinScale();
            cutMaxScale = v.cutMaxScale();
            shift = v.shift();
            rotationDegrees = v.rotationDegrees();
            noise = v.noise();
            flip = v.flip();
            wholeView = v.wholeView();
            Schedule sc = s.schedule;
            steps = sc.steps();
            learningRate = sc.learningRate();
            octaves = sc.octaves();
            regularizers = s.regularizers;
        }

        public Builder size(int v) {
            size = v;
            return this;
        }

        public Builder frameEvery(int v) {
            frameEvery = v;
            return this;
        }

        public Builder drawing(Drawing v) {
            drawing = v;
            return this;
        }

        public Builder layers(Layers v) {
            layers = v;
            return this;
        }

        public Builder steps(int v) {
            steps = v;
            return this;
        }

        public Builder cutouts(int v) {
            cutouts = v;
            return this;
        }

        public Builder cutScales(double min, double max) {
            cutMinScale = min;
            cutMaxScale = max;
            return this;
        }

        /** Shift, rotation, noise and flip of the random views in one go. */
        public Builder augmentation(double newShift, double newRotationDegrees, double newNoise, boolean newFlip) {
            shift = newShift;
            rotationDegrees = newRotationDegrees;
            noise = newNoise;
            flip = newFlip;
            return this;
        }

        public Builder wholeView(boolean v) {
            wholeView = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder octaves(int v) {
            octaves = v;
            return this;
        }

        public Builder regularizers(Regularizers v) {
            regularizers = v;
            return this;
        }

        public Builder maskedTv(double weight) {
            return regularizers(new Regularizers(weight));
        }

        public DreamSettings build() {
            return new DreamSettings(new Output(size, frameEvery), drawing,
                    new Views(cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView),
                    new Schedule(steps, learningRate, octaves),
                    regularizers, layers);
        }
    }
}
