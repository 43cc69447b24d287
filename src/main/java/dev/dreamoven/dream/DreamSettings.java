package dev.dreamoven.dream;

import dev.dreamoven.common.InvalidInputException;
import java.util.Locale;

/**
 * Every knob of a dream, immutable. Start from {@link #preset(String)} and change knobs with the
 * {@code withX} copies; the constructor validates and refuses nonsense with
 * {@link InvalidInputException} (one line for the user).
 *
 * <p>Scales: the guidance loss is a mean spherical distance (0..π²/2, about 0.6–0.9 for a random
 * picture); the regularizers are means over pixels, so their weights do not depend on the size.
 *
 * @param size side of the square picture in pixels, 16–256
 * @param steps optimization steps of a normal dream (a {@link GuidePlan} brings its own)
 * @param cutouts random views per step, 0–64 (plus the whole-image view when {@code wholeView})
 * @param cutMinScale smallest crop side as a fraction of the picture side (0.05–2)
 * @param cutMaxScale largest crop side as a fraction of the picture side (≥ min, ≤ 2)
 * @param shift largest random wrap-around shift of a view, as a fraction of the side (0–1)
 * @param rotationDegrees largest random rotation of a view either way (0–180)
 * @param noise standard deviation of the Gaussian noise added to every random view (0–1)
 * @param flip mirror half of the random views left-right
 * @param wholeView also show CLIP the whole picture, unaugmented, every step
 * @param optimizer ADAM, ADAMW or CLAMP_SGD
 * @param learningRate peak step size (pixels are 0..1)
 * @param weightDecay AdamW's decoupled decay toward the octave's starting picture
 * @param cosineSchedule decay the learning rate along half a cosine over the run
 * @param warmupSteps linear warm-up steps before the cosine
 * @param minLearningRate fraction of the peak the cosine ends at (0–1)
 * @param gradientNormalization divide the pixel gradient by its standard deviation
 * @param maskedTvWeight seed 000's masked total variation Σ M·(ΔI)²: smooths noise and flat areas, keeps edges
 * @param tvWeight plain total variation mean (ΔI)²
 * @param rangeWeight mean((z − clamp(z))²); matters only without {@code clamp}
 * @param stdWeight pulls the pixels' standard deviation toward {@code stdTarget}
 * @param stdTarget the wanted standard deviation of all pixel values
 * @param saturationWeight CLIPig's saturation constraint
 * @param saturationMax saturation above this is penalized (saturation = mean squared distance of
 *     a pixel's channels from their mean; a pure red pixel has 2/9)
 * @param saturationMin saturation below this is penalized (0 = never)
 * @param octaves resolutions coarse to fine: octave k of K works at size / 2^(K−1−k), min 8 px
 * @param init starting picture
 * @param clamp clamp the pixels to [0, 1] after every step (seed 000)
 * @param previewEvery the listener's preview is meant to be shown every this many steps
 * @param frameEvery keep a timelapse frame every this many steps, 0 for none
 * @param quantizeLevels levels per channel of the output stage when no palette is given (seed: 17), 0 for none
 */
public record DreamSettings(
        int size,
        int steps,
        int cutouts,
        double cutMinScale,
        double cutMaxScale,
        double shift,
        double rotationDegrees,
        double noise,
        boolean flip,
        boolean wholeView,
        Optimizer optimizer,
        double learningRate,
        double weightDecay,
        boolean cosineSchedule,
        int warmupSteps,
        double minLearningRate,
        boolean gradientNormalization,
        double maskedTvWeight,
        double tvWeight,
        double rangeWeight,
        double stdWeight,
        double stdTarget,
        double saturationWeight,
        double saturationMax,
        double saturationMin,
        int octaves,
        Init init,
        boolean clamp,
        int previewEvery,
        int frameEvery,
        int quantizeLevels) {

    public static final int MIN_SIZE = 16;
    public static final int MAX_SIZE = 256;
    public static final int MAX_STEPS = 100_000;

    /** The pixel optimizer. */
    public enum Optimizer { ADAM, ADAMW, CLAMP_SGD }

    /** The starting picture: seeded uniform noise around grey, or flat grey. */
    public enum Init { NOISE, GREY }

    public DreamSettings {
        checkSize(size);
        if (steps < 1 || steps > MAX_STEPS) {
            throw new InvalidInputException("steps must be between 1 and " + MAX_STEPS + ", got " + steps);
        }
        if (cutouts < 0 || cutouts > 64) {
            throw new InvalidInputException("cutouts must be between 0 and 64, got " + cutouts);
        }
        if (cutouts == 0 && !wholeView) {
            throw new InvalidInputException("a dream needs cutouts or the whole-image view");
        }
        if (!(cutMinScale >= 0.05 && cutMinScale <= cutMaxScale && cutMaxScale <= 2)) {
            throw new InvalidInputException("cut scales need 0.05 <= min <= max <= 2, got " + cutMinScale + ".." + cutMaxScale);
        }
        check("shift", shift, 0, 1);
        check("rotation", rotationDegrees, 0, 180);
        check("noise", noise, 0, 1);
        if (optimizer == null || init == null) {
            throw new InvalidInputException("optimizer and init must be given");
        }
        if (!(learningRate > 0 && learningRate <= 10)) {
            throw new InvalidInputException("learning rate must be in (0, 10], got " + learningRate);
        }
        check("weight decay", weightDecay, 0, 10);
        if (warmupSteps < 0) {
            throw new InvalidInputException("warm-up steps must be 0 or more, got " + warmupSteps);
        }
        check("minimum learning rate", minLearningRate, 0, 1);
        check("masked TV weight", maskedTvWeight, 0, 1e6);
        check("TV weight", tvWeight, 0, 1e6);
        check("range weight", rangeWeight, 0, 1e6);
        check("std weight", stdWeight, 0, 1e6);
        check("std target", stdTarget, 0, 1);
        check("saturation weight", saturationWeight, 0, 1e6);
        check("saturation max", saturationMax, 0, 1);
        check("saturation min", saturationMin, 0, 1);
        if (octaves < 1 || octaves > 5) {
            throw new InvalidInputException("octaves must be between 1 and 5, got " + octaves);
        }
        if (previewEvery < 1) {
            throw new InvalidInputException("preview interval must be at least 1, got " + previewEvery);
        }
        if (frameEvery < 0) {
            throw new InvalidInputException("frame interval must be 0 or more, got " + frameEvery);
        }
        if (quantizeLevels != 0 && (quantizeLevels < 2 || quantizeLevels > 256)) {
            throw new InvalidInputException("quantize levels must be 0 or 2-256, got " + quantizeLevels);
        }
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

    /**
     * The named presets; all are 64 px, Adam with a cosine schedule, normalized gradients, masked TV,
     * octaves coarse to fine, 17-level output.
     * <ul>
     * <li>{@code draft}: 100 steps, 4 cutouts, 2 octaves — a quick look (seconds on a small model).
     * <li>{@code normal}: 250 steps, 8 cutouts, 3 octaves.
     * <li>{@code best}: 600 steps, 16 cutouts, 3 octaves, lower peak rate.
     * </ul>
     */
    public static DreamSettings preset(String name) {
        String key = name == null ? "normal" : name.trim().toLowerCase(Locale.ROOT);
        DreamSettings normal = new DreamSettings(64, 250, 8, 0.5, 1.0, 0.25, 10, 0.05, true, true,
                Optimizer.ADAM, 0.05, 0.0, true, 10, 0.1, true,
                0.5, 0.0, 0.0, 0.0, 0.25, 0.0, 0.08, 0.0,
                3, Init.NOISE, true, 10, 10, 17);
        return switch (key) {
            case "normal" -> normal;
            case "draft" -> normal.withSteps(100).withCutouts(4).withOctaves(2).withFrameEvery(5);
            case "best" -> normal.withSteps(600).withCutouts(16).withLearningRate(0.04).withFrameEvery(20);
            default -> throw new InvalidInputException("unknown preset '" + name + "' (draft, normal or best)");
        };
    }

    public DreamSettings withSize(int v) {
        return new DreamSettings(v, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withSteps(int v) {
        return new DreamSettings(size, v, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withCutouts(int v) {
        return new DreamSettings(size, steps, v, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withCutScales(double min, double max) {
        return new DreamSettings(size, steps, cutouts, min, max, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    /** Shift, rotation, noise and flip of the random views in one go. */
    public DreamSettings withAugmentation(double newShift, double newRotationDegrees, double newNoise, boolean newFlip) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, newShift, newRotationDegrees, newNoise, newFlip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withWholeView(boolean v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, v, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withOptimizer(Optimizer v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, v, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withLearningRate(double v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, v, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withWeightDecay(double v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, v, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withSchedule(boolean cosine, int warmup, double minFraction) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosine, warmup, minFraction, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withGradientNormalization(boolean v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, v, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withMaskedTvWeight(double v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, v, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withTvWeight(double v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, v, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withRangeWeight(double v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, v, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withStd(double weight, double target) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, weight, target, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withSaturation(double weight, double max, double min) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, weight, max, min, octaves, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withOctaves(int v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, v, init, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withInit(Init v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, v, clamp, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withClamp(boolean v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, v, previewEvery, frameEvery, quantizeLevels);
    }

    public DreamSettings withPreviewEvery(int v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, v, frameEvery, quantizeLevels);
    }

    public DreamSettings withFrameEvery(int v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, v, quantizeLevels);
    }

    public DreamSettings withQuantizeLevels(int v) {
        return new DreamSettings(size, steps, cutouts, cutMinScale, cutMaxScale, shift, rotationDegrees, noise, flip, wholeView, optimizer, learningRate, weightDecay, cosineSchedule, warmupSteps, minLearningRate, gradientNormalization, maskedTvWeight, tvWeight, rangeWeight, stdWeight, stdTarget, saturationWeight, saturationMax, saturationMin, octaves, init, clamp, previewEvery, frameEvery, v);
    }

    /** Side of octave {@code k} (0 = coarsest) of {@link #octaves()}. */
    public int octaveSize(int k) {
        return Math.max(Math.min(8, size), size >> (octaves - 1 - k));
    }
}
