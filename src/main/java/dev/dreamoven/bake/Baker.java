package dev.dreamoven.bake;

import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamResult;
import dev.dreamoven.dream.DreamSettings;
import dev.dreamoven.dream.Dreamer;
import dev.dreamoven.dream.PictureSimilarity;
import dev.dreamoven.image.RgbImage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Bakes a prompt for real. The original bake.py never passed a gradient from the final picture back
 * to its stage vectors, so its stages only drifted toward the prompt embedding (docs/design.md §5).
 * Here the stages are <em>distilled</em>: an expensive render (the {@code render} settings: more
 * steps and cutouts) is run once, the mean image embedding of its views is recorded at every step,
 * and stage k becomes the embedding the expensive render had reached at the end of the k-th K-th of
 * its run (averaged over a short window, optionally blended toward the prompt). A cheap microwave
 * that chases these stages is guided by where a good picture actually went in image-embedding space,
 * instead of by the text embedding alone, which sits across CLIP's modality gap.
 *
 * <p>Why not differentiate through a truncated unroll of the inner steps: the gradient of the final
 * picture with respect to a stage vector needs the derivative of the pixel gradient, i.e. a
 * double backward through CLIP at every inner step. DJL's {@code GradientCollector} offers no
 * {@code create_graph}, and even with it each bake step would cost about three times an inner
 * step times the unroll length; distillation costs one render.
 *
 * <p>Every bake is scored: the microwave replay and a normal dream at the same cheap budget and seed
 * are both measured against the prompt, and both numbers are kept with the path.
 */
public final class Baker {

    /**
     * @param stages K, the number of stage vectors
     * @param render the expensive render that is distilled
     * @param replay the cheap budget a microwave runs at, used to score the path
     * @param promptBlend 0 keeps the distilled embeddings, 1 replaces them by the prompt
     * @param window fraction of each segment averaged into its stage vector (0 = last step only)
     * @param candidates expensive renders from consecutive seeds; a {@link RenderChooser} picks the one
     *     that is distilled (a path is replayed many times, so one good render is worth a few)
     */
    public record BakeSettings(int stages, DreamSettings render, DreamSettings replay, double promptBlend,
            double window, int candidates) {
        public BakeSettings {
            if (stages < 1 || stages > 100) {
                throw new dev.dreamoven.common.InvalidInputException("stages must be between 1 and 100, got " + stages);
            }
            if (candidates < 1 || candidates > 16) {
                throw new dev.dreamoven.common.InvalidInputException("candidates must be between 1 and 16, got " + candidates);
            }
            if (render.steps() < stages || replay.steps() < stages) {
                throw new dev.dreamoven.common.InvalidInputException("a bake needs at least one step per stage");
            }
            if (!(promptBlend >= 0 && promptBlend <= 1) || !(window >= 0 && window <= 1)) {
                throw new IllegalArgumentException("promptBlend and window lie in 0..1");
            }
        }

        /** The 'best' preset distilled, scored at the 'draft' budget. */
        public static BakeSettings defaults(int stages, int size, int candidates) {
            return new BakeSettings(stages, DreamSettings.preset("best").toBuilder().size(size).build(),
                    DreamSettings.preset("draft").toBuilder().size(size).build(), 0.0, 0.25, candidates);
        }
    }

    /**
     * @param path the baked path, score = the microwave's similarity to the prompt
     * @param microwaveScore cosine to the prompt of the microwave replay at the replay budget
     * @param normalScore cosine to the prompt of a normal dream at the same budget and seed
     * @param renderScore cosine to the prompt of the expensive render that was distilled
     * @param renderSeed the seed of that render (of the candidates, the one the chooser picked)
     */
    public record BakeOutcome(BakedPath path, double microwaveScore, double normalScore, double renderScore,
            long renderSeed, RgbImage render, RgbImage microwave) {
    }

    /** Picks which of a bake's candidate renders is distilled. */
    public interface RenderChooser {
        /**
         * @param renders the candidates' pictures, in seed order
         * @param scores their cosine to the prompt under the model, same order
         * @return the index of the render to distil
         */
        int choose(List<RgbImage> renders, double[] scores);

        /** The render the model scores closest to the prompt (the first of equals). */
        static RenderChooser highestScore() {
            return (renders, scores) -> {
                int best = 0;
                for (int i = 1; i < scores.length; i++) {
                    if (scores[i] > scores[best]) {
                        best = i;
                    }
                }
                return best;
            };
        }
    }

    private final Dreamer dreamer;
    private final PictureSimilarity similarity;
    private final Clock clock;

    public Baker(Dreamer dreamer, Clock clock) {
        this.dreamer = dreamer;
        this.similarity = new PictureSimilarity(dreamer.model());
        this.clock = clock;
    }

    /**
     * @param promptEmbedding the prompt's text embedding under the dreamer's model, {@code [D]}
     * @param listener sees the render's steps, then the two scoring runs'; may cancel
     */
    public BakeOutcome bake(String prompt, float[] promptEmbedding, String author, BakeSettings s, long seed,
            DreamListener listener) {
        return bake(prompt, promptEmbedding, author, s, seed, listener, RenderChooser.highestScore());
    }

    /**
     * @param chooser picks the candidate render that is distilled
     */
    public BakeOutcome bake(String prompt, float[] promptEmbedding, String author, BakeSettings s, long seed,
            DreamListener listener, RenderChooser chooser) {
        BakedPath.validatePrompt(prompt);
        float[] unitPrompt = PathBlending.normalized(promptEmbedding);
        List<DreamResult> candidates = new java.util.ArrayList<>();
        double[] scores = new double[s.candidates()];
        for (int c = 0; c < s.candidates(); c++) {
            DreamResult candidate = dreamer.dream(MicrowavePlans.direct(prompt, unitPrompt, s.render().steps(),
                    List.of(), 0), s.render(), seed + c, listener);
            candidates.add(candidate);
            scores[c] = similarity.cosine(candidate.image(), unitPrompt);
        }
        int chosen = chooser.choose(candidates.stream().map(DreamResult::image).toList(), scores.clone());
        if (chosen < 0 || chosen >= candidates.size()) {
            throw new IllegalStateException("the render chooser picked " + chosen + " of " + candidates.size());
        }
        DreamResult render = candidates.get(chosen);
        double renderScore = scores[chosen];
        long renderSeed = seed + chosen;
        float[][] stages = distil(render.imageEmbeddingPerStep(), s.stages(), unitPrompt, s.promptBlend(), s.window());

        DreamResult microwave = dreamer.dream(MicrowavePlans.replay(prompt, stages, s.replay().steps(), List.of(), 0),
                s.replay(), seed, listener);
        DreamResult normal = dreamer.dream(MicrowavePlans.direct(prompt, unitPrompt, s.replay().steps(), List.of(), 0),
                s.replay(), seed, listener);
        double microwaveScore = similarity.cosine(microwave.image(), unitPrompt);
        double normalScore = similarity.cosine(normal.image(), unitPrompt);

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("method", "distilled image-embedding trajectory of an expensive render");
        settings.put("render.steps", Integer.toString(s.render().steps()));
        settings.put("render.cutouts", Integer.toString(s.render().views().cutouts()));
        settings.put("render.candidates", Integer.toString(s.candidates()));
        settings.put("render.seed", Long.toString(renderSeed));
        settings.put("replay.steps", Integer.toString(s.replay().steps()));
        settings.put("prompt-blend", Double.toString(s.promptBlend()));
        settings.put("window", Double.toString(s.window()));
        settings.put("seed", Long.toString(seed));
        settings.put("score.microwave", fmt(microwaveScore));
        settings.put("score.normal", fmt(normalScore));
        settings.put("score.render", fmt(renderScore));
        BakedPath path = BakedPath.of(prompt, dreamer.model().id(), s.render().size(), stages, settings,
                microwaveScore, author, clock.instant());
        return new BakeOutcome(path, microwaveScore, normalScore, renderScore, renderSeed, render.image(),
                microwave.image());
    }

    /**
     * The stage vectors, {@code [K, D]}, unit length: for each of K equal segments of the trajectory,
     * the normalized mean of its last {@code window} fraction (at least one step), blended toward the
     * prompt by {@code promptBlend}.
     *
     * @param trajectory {@code [S, D]} mean normalized image embedding per step
     */
    static float[][] distil(float[][] trajectory, int k, float[] unitPrompt, double promptBlend, double window) {
        int steps = trajectory.length;
        if (steps < k) {
            throw new IllegalArgumentException(steps + " steps cannot make " + k + " stages");
        }
        int d = unitPrompt.length;
        float[][] stages = new float[k][];
        for (int i = 0; i < k; i++) {
            int begin = (int) Math.round((double) i * steps / k);
            int end = (int) Math.round((double) (i + 1) * steps / k); // exclusive
            int span = Math.max(1, (int) Math.round((end - begin) * window));
            double[] sum = new double[d];
            for (int t = end - span; t < end; t++) {
                float[] e = PathBlending.normalized(trajectory[t]);
                for (int j = 0; j < d; j++) {
                    sum[j] += e[j];
                }
            }
            float[] mean = new float[d];
            for (int j = 0; j < d; j++) {
                mean[j] = (float) (sum[j] / span);
            }
            float[] unitMean = PathBlending.normalized(mean);
            float[] blended = new float[d];
            for (int j = 0; j < d; j++) {
                blended[j] = (float) ((1 - promptBlend) * unitMean[j] + promptBlend * unitPrompt[j]);
            }
            stages[i] = PathBlending.normalized(blended);
        }
        return stages;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
