package dev.dreamoven.toyworld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.clip.ClipTokenizer;
import dev.dreamoven.clip.OpenAiClip;
import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.dream.Dreamer;
import dev.dreamoven.dream.GuidePlan;
import dev.dreamoven.dream.GuideTarget;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The model's own dreams, kept as negatives for its training. A contrastive batch only asks a
 * caption to prefer its picture over the other pictures of the world; it never shows the model the
 * pictures that pixel optimization actually finds — scattered blobs of the right colours on a noisy
 * background — so those score as high as the real thing (measured: dreams of the evaluation
 * prompts reach the cosine of true renders while the judge rejects them). This pool keeps a few
 * pictures being dreamt toward a caption with the current weights, a few pixel steps per training
 * step, and hands them to the batch as images that no caption matches. Each caption then has to
 * prefer real renders over what fools the model now; the dreams follow the model as it learns
 * (persistent, like contrastive divergence's chains).
 *
 * <p>A pool picture that the model-free {@link ToyJudge} already accepts for its caption is not
 * used as a negative (it would teach the caption away from a true picture). Everything is a pure
 * function of the seed and the weights, so training stays reproducible.
 */
final class DreamNegativePool {

    /** Pixel step along the per-picture normalized gradient (pixels are 0..1). */
    static final double PIXEL_STEP = 0.04;
    /** Share of a 3×3 box blur mixed in after every pixel step: dreams are smoothed by their regularizers too. */
    static final float BLUR_SHARE = 0.2f;
    private static final int SIDE = ToyWorld.SIDE;
    private static final int PLANE = 3 * SIDE * SIDE;

    private final ToyClipSettings.DreamNegatives settings;
    private final long seed;
    private final ToyWorld world;
    private final ToyJudge judge = new ToyJudge();
    private final float[][] pixels; // [P][3*SIDE*SIDE], channel planes, 0..1
    private final String[] captions;
    private final int[] age;

    DreamNegativePool(ToyClipSettings.DreamNegatives settings, long seed, ToyWorld world) {
        this.settings = settings;
        this.seed = seed;
        this.world = world;
        int n = settings.pool();
        this.pixels = new float[n][PLANE];
        this.captions = new String[n];
        this.age = new int[n];
    }

    int size() {
        return pixels.length;
    }

    String caption(int i) {
        return captions[i];
    }

    /** Puts a picture with a caption in slot {@code i} (it then ages like any other). */
    void put(int i, RgbImage picture, String caption) {
        System.arraycopy(picture.data(), 0, pixels[i], 0, PLANE);
        captions[i] = caption;
        age[i] = 0;
    }

    RgbImage picture(int i) {
        return new RgbImage(SIDE, SIDE, pixels[i].clone());
    }

    /**
     * Restarts expired pictures from fresh noise with a new caption, then moves every picture
     * {@code stepsPerStep} pixel steps toward its caption with the current weights. The model's
     * parameter gradients are left untouched.
     */
    void advance(int trainingStep, OpenAiClip model, ClipTokenizer tokenizer, NDManager parent) {
        Random random = new Random(seed * 0xD1B54A32D192ED03L + trainingStep);
        if (settings.source() == ToyClipSettings.DreamNegatives.Source.DREAM_LOOP) {
            if (trainingStep % settings.lifetime() == 0) {
                dreamInto((trainingStep / settings.lifetime()) % pixels.length, random, model, tokenizer, parent);
            }
            return;
        }
        for (int i = 0; i < pixels.length; i++) {
            if (captions[i] == null) {
                restart(i, random);
                // Staggered ages, so that the pool always holds dreams of every age, not one cohort.
                age[i] = (int) ((long) i * settings.lifetime() / pixels.length);
            } else if (age[i] >= settings.lifetime()) {
                restart(i, random);
            }
        }
        model.setTrainable(false);
        try (NDManager scope = parent.newSubManager()) {
            NDArray text = ToyClipEvaluation.unit(model.encodeText(
                    ToyClipEvaluation.tokens(tokenizer, Arrays.asList(captions), scope))); // [P, D]
            for (int k = 0; k < settings.stepsPerStep(); k++) {
                float[] gradient = gradient(model, text, scope); // [P*3*SIDE*SIDE]
                for (int i = 0; i < pixels.length; i++) {
                    step(pixels[i], gradient, i * PLANE);
                }
            }
        } finally {
            model.setTrainable(true);
        }
        for (int i = 0; i < age.length; i++) {
            age[i]++;
        }
    }

    /**
     * Replaces slot {@code slot} by a {@code draft} dream of a new random caption, made by the
     * product's own dream loop with the current weights (their gradients untouched).
     */
    private void dreamInto(int slot, Random random, OpenAiClip model, ClipTokenizer tokenizer, NDManager parent) {
        String caption = randomCaption(random);
        model.setTrainable(false);
        try (NDManager scope = parent.newSubManager()) {
            float[] text = model.encodeText(ToyClipEvaluation.tokens(tokenizer, List.of(caption), scope))
                    .toFloatArray(); // [D]
            DreamSettings draft = DreamSettings.preset("draft").withSize(SIDE).withFrameEvery(0);
            GuidePlan plan = GuidePlan.single(List.of(GuideTarget.of("caption", text)), draft.steps());
            RgbImage dream = new Dreamer(model).dream(plan, draft, random.nextLong(), DreamListener.NONE).image();
            System.arraycopy(dream.data(), 0, pixels[slot], 0, PLANE);
            captions[slot] = caption;
        } finally {
            model.setTrainable(true);
        }
    }

    /** Gradient of −Σ cos(picture, caption) with respect to the pixels. text: [P, D]. */
    private float[] gradient(OpenAiClip model, NDArray text, NDManager scope) {
        List<RgbImage> pictures = new ArrayList<>();
        for (int i = 0; i < pixels.length; i++) {
            pictures.add(picture(i));
        }
        try (NDManager inner = scope.newSubManager()) {
            NDArray x = ToyClipEvaluation.pixels(pictures, inner); // [P, 3, S, S]
            x.setRequiresGradient(true);
            try (GradientCollector collector = inner.getEngine().newGradientCollector()) {
                NDArray image = ToyClipEvaluation.unit(model.encodeImage(ClipImages.normalize(x))); // [P, D]
                collector.backward(image.mul(text).sum().neg());
            }
            return x.getGradient().toFloatArray();
        }
    }

    /** One normalized gradient step on one picture, clamped to 0..1, then a light blur. */
    private static void step(float[] picture, float[] gradient, int offset) {
        double sum = 0;
        double squares = 0;
        for (int j = 0; j < PLANE; j++) {
            double g = gradient[offset + j];
            sum += g;
            squares += g * g;
        }
        double mean = sum / PLANE;
        double std = Math.sqrt(Math.max(0, squares / PLANE - mean * mean));
        if (!(std > 0) || !Double.isFinite(std)) {
            return;
        }
        float scale = (float) (PIXEL_STEP / std);
        for (int j = 0; j < PLANE; j++) {
            picture[j] = Math.min(1f, Math.max(0f, picture[j] - scale * gradient[offset + j]));
        }
        blur(picture, BLUR_SHARE);
    }

    /** Mixes a 3×3 box blur (edges clamped) into each channel plane. */
    static void blur(float[] picture, float share) {
        float[] plane = new float[SIDE * SIDE];
        for (int c = 0; c < 3; c++) {
            int base = c * SIDE * SIDE;
            System.arraycopy(picture, base, plane, 0, plane.length);
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    float box = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        int yy = Math.min(SIDE - 1, Math.max(0, y + dy));
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = Math.min(SIDE - 1, Math.max(0, x + dx));
                            box += plane[yy * SIDE + xx];
                        }
                    }
                    picture[base + y * SIDE + x] = (1 - share) * plane[y * SIDE + x] + share * box / 9f;
                }
            }
        }
    }

    /** A new caption of a random scene, and coarse noise around grey (a dream's first octave). */
    private void restart(int i, Random random) {
        captions[i] = randomCaption(random);
        int cell = 8;
        int cells = SIDE / cell;
        float[] coarse = new float[3 * cells * cells];
        for (int j = 0; j < coarse.length; j++) {
            coarse[j] = 0.5f + (random.nextFloat() - 0.5f) * 0.5f;
        }
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    pixels[i][c * SIDE * SIDE + y * SIDE + x] = coarse[c * cells * cells + (y / cell) * cells + x / cell];
                }
            }
        }
        for (int b = 0; b < 4; b++) {
            blur(pixels[i], 1f);
        }
        age[i] = 0;
    }

    /** The caption of a new random scene: a template's or, half the time, the full one. */
    private String randomCaption(Random random) {
        Scene scene = world.scene(random);
        return random.nextBoolean() ? world.caption(scene, random) : ToyClipEvaluation.fullCaption(scene);
    }

    /**
     * The pool's pictures that the judge does not accept for their captions, as {@code [N, 3, S, S]}
     * in 0..1 in {@code scope}; empty when every picture passes (or the pool is empty).
     */
    Optional<NDArray> negatives(NDManager scope) {
        List<RgbImage> kept = new ArrayList<>();
        for (int i = 0; i < pixels.length; i++) {
            RgbImage picture = picture(i);
            if (captions[i] != null && !accepted(picture, captions[i])) {
                kept.add(picture);
            }
        }
        return kept.isEmpty() ? Optional.empty() : Optional.of(ToyClipEvaluation.pixels(kept, scope));
    }

    /** Whether the judge sees what picture {@code i}'s caption says (then it is no negative). */
    boolean passes(int i) {
        return accepted(picture(i), captions[i]);
    }

    private boolean accepted(RgbImage picture, String caption) {
        Optional<Spec> spec = ToyPrompt.parse(caption);
        return spec.isPresent() && judge.judge(picture, spec.get()).passed();
    }
}
