package dev.dreamoven.bake;

import java.util.Random;

/**
 * The maths of auto-microwave: distances between embeddings and the stage targets made from the
 * two baked paths nearest a new prompt. Pure Java on float vectors; sums in double.
 *
 * <p>Vectors are blended as given, not normalized: the original scripts blended raw CLIP text
 * embeddings with raw stage vectors (norms around 10-30 for ViT-B/32), so the prompt embedding
 * passed here should be the model's raw text embedding, in the same scale as the paths.
 *
 * <p>Two defects of the original {@code auto_microwave.py} are fixed here: it took {@code .mean()}
 * over both paths' whole tensors, one number, where the mean over the two paths, stage by stage
 * and component by component, was meant; {@link #autoMicrowave} computes the latter.
 */
public final class PathBlending {

    /** Weight of the baked paths in auto-microwave targets; the prompt gets the rest (0.7). */
    public static final double DEFAULT_PATH_WEIGHT = 0.3;
    /** The largest spherical distance, between opposite directions: π²/2. */
    public static final double MAX_DISTANCE = Math.PI * Math.PI / 2;

    private PathBlending() {
    }

    /**
     * The spherical distance loss of the original scripts: {@code 2·arcsin(‖â−b̂‖/2)²} with â, b̂
     * the unit vectors of a and b. With θ the angle between them this is θ²/2: 0 for the same
     * direction, π²/8 for orthogonal vectors, π²/2 for opposite ones.
     */
    public static double sphericalDistance(float[] a, float[] b) {
        requireSameLength(a, b, "a", "b");
        double na = norm(a);
        double nb = norm(b);
        if (na == 0 || nb == 0 || !Double.isFinite(na) || !Double.isFinite(nb)) {
            throw new IllegalArgumentException("the spherical distance needs non-zero finite vectors");
        }
        double sq = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] / na - b[i] / nb;
            sq += d * d;
        }
        double half = Math.min(1.0, Math.sqrt(sq) / 2);
        double arc = Math.asin(half);
        return 2 * arc * arc;
    }

    /** a / ‖a‖. */
    public static float[] normalized(float[] a) {
        double n = norm(a);
        if (n == 0 || !Double.isFinite(n)) {
            throw new IllegalArgumentException("cannot normalize a zero or non-finite vector");
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (a[i] / n);
        }
        return out;
    }

    public static double norm(float[] a) {
        double s = 0;
        for (float v : a) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    /**
     * Auto-microwave targets, [K, D]: for each stage k, {@code w·mean(a[k], b[k]) + (1−w)·prompt}
     * with w = {@code pathWeight} (0.3 in the original). When a and b have different stage counts,
     * both are first resampled to the larger K ({@link #resample}).
     */
    public static float[][] autoMicrowave(BakedPath a, BakedPath b, float[] prompt, double pathWeight) {
        float[][][] ab = sameStageCount(a, b, prompt);
        float[][] sa = ab[0];
        float[][] sb = ab[1];
        float[][] out = new float[sa.length][];
        for (int k = 0; k < sa.length; k++) {
            float[] mean = new float[prompt.length];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) (((double) sa[k][i] + sb[k][i]) / 2);
            }
            out[k] = blend(mean, prompt, pathWeight);
        }
        return out;
    }

    /**
     * The "splice" variant, [K, D]: for each stage k pick a[k] or b[k] at random (fair coin from
     * {@code random}), then blend as {@link #autoMicrowave} does.
     */
    public static float[][] splice(BakedPath a, BakedPath b, float[] prompt, double pathWeight, Random random) {
        float[][][] ab = sameStageCount(a, b, prompt);
        float[][] out = new float[ab[0].length][];
        for (int k = 0; k < out.length; k++) {
            float[] picked = random.nextBoolean() ? ab[0][k] : ab[1][k];
            out[k] = blend(picked, prompt, pathWeight);
        }
        return out;
    }

    /**
     * Microwave's optional lerp, [K, D]: {@code (1−t)·stage[k] + t·prompt} for every stage; t = 0
     * keeps the path, t = 1 guides every stage to the prompt alone.
     */
    public static float[][] lerpWithPrompt(float[][] stages, float[] prompt, double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("t must lie in 0..1, got " + t);
        }
        if (stages.length < 1) {
            throw new IllegalArgumentException("no stages");
        }
        float[][] out = new float[stages.length][];
        for (int k = 0; k < stages.length; k++) {
            requireSameLength(stages[k], prompt, "stage " + k, "prompt");
            out[k] = blend(stages[k], prompt, 1 - t);
        }
        return out;
    }

    /**
     * Stretches K stages to {@code count}, [count, D]: target stage j takes the source stage at the
     * nearest relative position, {@code round(j·(K−1)/(count−1))}, so first maps to first and
     * last to last, and the early/late character of each stage is kept. The vectors are copies.
     */
    public static float[][] resample(float[][] stages, int count) {
        if (count < 1 || stages.length < 1) {
            throw new IllegalArgumentException("cannot resample " + stages.length + " stages to " + count);
        }
        float[][] out = new float[count][];
        for (int j = 0; j < count; j++) {
            int src = count == 1 ? 0 : (int) Math.round((double) j * (stages.length - 1) / (count - 1));
            out[j] = stages[src].clone();
        }
        return out;
    }

    /** w·path + (1−w)·prompt. */
    private static float[] blend(float[] path, float[] prompt, double pathWeight) {
        if (!(pathWeight >= 0 && pathWeight <= 1)) {
            throw new IllegalArgumentException("the path weight must lie in 0..1, got " + pathWeight);
        }
        float[] out = new float[prompt.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (pathWeight * path[i] + (1 - pathWeight) * prompt[i]);
        }
        return out;
    }

    private static float[][][] sameStageCount(BakedPath a, BakedPath b, float[] prompt) {
        if (!a.modelId().equals(b.modelId())) {
            throw new IllegalArgumentException("paths of different models cannot be blended: " + a.modelId()
                    + " and " + b.modelId());
        }
        if (a.dimension() != prompt.length || b.dimension() != prompt.length) {
            throw new IllegalArgumentException("dimensions differ: paths " + a.dimension() + " and "
                    + b.dimension() + ", prompt " + prompt.length);
        }
        int k = Math.max(a.stageCount(), b.stageCount());
        return new float[][][] {resample(a.stages(), k), resample(b.stages(), k)};
    }

    private static void requireSameLength(float[] a, float[] b, String an, String bn) {
        if (a.length != b.length) {
            throw new IllegalArgumentException(an + " has dimension " + a.length + ", " + bn + " " + b.length);
        }
    }
}
