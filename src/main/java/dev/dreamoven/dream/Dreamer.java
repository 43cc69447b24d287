package dev.dreamoven.dream;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.clip.ClipEnsemble;
import dev.dreamoven.clip.ClipModel;
import dev.dreamoven.clip.ScalarOps;
import dev.dreamoven.image.Palette;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dream loop: optimizes the pixels of a picture so that CLIP's views of it move toward the
 * plan's targets (docs/design.md §4). One instance per model; {@link #dream} may be called many times but
 * not from two threads at once with the same model.
 *
 * <p>Per step: sample views ({@link Cutouts}), CLIP-normalize, encode, spherical-distance loss per
 * active target (select-best where asked), plus the regularizers; backward to the pixels; optional
 * gradient normalization; optimizer step at the scheduled rate; clamp to [0, 1]. Octaves run the
 * first steps at lower resolutions and upsample in between. Everything random comes from one
 * {@code java.util.Random(seed)} drawn in a fixed order, so the same seed, settings, plan and
 * machine give the same pixels. Each step's arrays live in a sub-manager that is closed at the end
 * of the step; only the picture and the optimizer state survive. Every array is made on
 * the model's device ({@link ClipModel#device}), in float32: pixels, losses and optimizer state stay
 * float32 whatever the towers compute in.
 *
 * <p>With a {@link ClipEnsemble} each member draws its own views at its own input resolution and is
 * scored against its part of every target; the step's loss is the members' losses summed by their
 * normalized weights, and the step's embedding is the members' mean embeddings in the ensemble's
 * space. One model is the case of one member of weight 1, computed exactly as before ensembles.
 */
public final class Dreamer {

    private static final Logger LOG = LoggerFactory.getLogger(Dreamer.class);

    private final ClipModel model;
    private final Function<NDManager, PixelOptimizer> optimizers;
    /** The models that look at the picture: the model itself, or each member of an ensemble. */
    private final List<ClipEnsemble.Member> guides;

    public Dreamer(ClipModel model) {
        this(model, PixelOptimizer::create);
    }

    /** With a chosen optimizer factory (tests count resets with it). */
    Dreamer(ClipModel model, Function<NDManager, PixelOptimizer> optimizers) {
        this.model = model;
        this.guides = model instanceof ClipEnsemble e ? e.members()
                : List.of(new ClipEnsemble.Member(model, 1, 0));
        this.optimizers = optimizers;
    }

    public ClipModel model() {
        return model;
    }

    public DreamResult dream(GuidePlan plan, DreamSettings settings, long seed, DreamListener listener) {
        return dream(plan, settings, seed, listener, null);
    }

    /**
     * @param init starting picture (any size, resized to the first octave), or null for seeded noise
     *     around grey
     * @throws DreamCancelledException when the listener cancels
     */
    public DreamResult dream(GuidePlan plan, DreamSettings settings, long seed, DreamListener listener, RgbImage init) {
        if (plan.embedDim() != model.embedDim()) {
            throw new IllegalArgumentException("targets are " + plan.embedDim() + "-wide but the model embeds in "
                    + model.embedDim());
        }
        DreamListener watcher = listener == null ? DreamListener.NONE : listener;
        long started = System.nanoTime();
        Random rnd = new Random(seed);
        int total = plan.totalSteps();
        Map<String, Integer> wins = initialWins(plan);
        float[][] embeddings = new float[total][];
        List<RgbImage> frames = new ArrayList<>();
        try (NDManager run = NDManager.newBaseManager(model.device(), "PyTorch"); // the model's device
                Canvas canvas = canvas(plan, settings, total, run, rnd, init)) {
            NDArray mean = run.create(ClipImages.mean(), new Shape(1, 3, 1, 1));
            NDArray std = run.create(ClipImages.std(), new Shape(1, 3, 1, 1));
            int g = 0;
            for (int si = 0; si < plan.stages().size(); si++) {
                GuideStage stage = plan.stages().get(si);
                if (si > 0 && plan.resetOptimizerEachStage()) {
                    canvas.resetOptimizer();
                }
                for (int i = 0; i < stage.steps(); i++, g++) {
                    if (watcher.cancelled()) {
                        throw new DreamCancelledException(g);
                    }
                    canvas.beforeStep(g, total);
                    double t = (double) g / total;
                    StepOutcome out = step(run, canvas, mean, std, stage, t, g, rnd, wins);
                    embeddings[g] = out.meanEmbedding();
                    int size = settings.size();
                    RgbImage[] shown = new RgbImage[1];
                    // Read back only when somebody looks: the listener during onStep, or a frame.
                    java.util.function.Supplier<RgbImage> preview = () -> {
                        if (shown[0] == null) {
                            shown[0] = canvas.picture(size);
                        }
                        return shown[0];
                    };
                    if (settings.output().frameEvery() > 0 && (g + 1) % settings.output().frameEvery() == 0) {
                        frames.add(preview.get());
                    }
                    watcher.onStep(new DreamProgress(g + 1, total, si, out.similarity(), out.loss(), preview));
                }
            }
            RgbImage image = canvas.picture(settings.size());
            if (settings.output().frameEvery() > 0 && total % settings.output().frameEvery() != 0) {
                frames.add(image);
            }
            double similarity = finalSimilarity(image, plan);
            double seconds = (System.nanoTime() - started) / 1e9;
            return new DreamResult(image, similarity, wins, frames, embeddings, seconds, total);
        }
    }

    /**
     * The canvas the settings ask for; making it draws its starting state from {@code rnd}. A
     * layered canvas first chooses its colours (see {@link ColourSearch}); it has no use for a
     * starting picture.
     */
    private Canvas canvas(GuidePlan plan, DreamSettings settings, int total, NDManager run, Random rnd, RgbImage init) {
        if (settings.drawing() == DreamSettings.Drawing.PIXELS) {
            return new PixelCanvas(settings, total, model.imageResolution(), run, optimizers, rnd, init);
        }
        DreamSettings.Layers layers = settings.layers();
        int[] colours = colourSearch(plan).choose(candidateColours(layers), layers.layers(), rnd, run);
        return new LayerCanvas(layers, settings.size(), total, colours, run, rnd);
    }

    /** The settings' palette, else the model's recommended one, else PICO-8. */
    private int[] candidateColours(DreamSettings.Layers layers) {
        List<Integer> colours = !layers.palette().isEmpty() ? layers.palette()
                : !model.palette().isEmpty() ? model.palette() : Palette.PICO8.colours();
        return colours.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The plan's subject (see {@link GuidePlan#subject}), else every feature of its stages, each with
     * its total weight, so negative prompts repel colours too.
     */
    private ColourSearch colourSearch(GuidePlan plan) {
        List<GuideTarget> targets = new ArrayList<>(plan.subject());
        if (targets.isEmpty()) {
            plan.stages().forEach(stage -> targets.addAll(stage.targets()));
        }
        List<float[]> features = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (GuideTarget target : targets) {
            for (GuideFeature f : target.features()) {
                features.add(f.embedding());
                weights.add(f.weight() * target.weight());
            }
        }
        return new ColourSearch(model, features, weights);
    }

    private record StepOutcome(double loss, double similarity, float[] meanEmbedding) {
    }

    private StepOutcome step(NDManager run, Canvas canvas, NDArray mean, NDArray std, GuideStage stage, double t,
            int g, Random rnd, Map<String, Integer> wins) {
        try (NDManager step = run.newSubManager()) {
            double lossValue;
            double similarity;
            float[] meanEmbedding;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray x = canvas.draw(step, t); // [1, 3, s, s]
                NDArray loss = ScalarOps.mul(x.mean(), 0); // keeps a graph even when nothing is active
                double simSum = 0;
                double simCount = 0;
                meanEmbedding = guides.size() == 1 ? null : new float[model.embedDim()];
                // Each model sees its own views at its own resolution; the loss is the weighted sum.
                for (ClipEnsemble.Member guide : guides) {
                    ClipModel m = guide.model();
                    NDArray viewed = canvas.views(x, m.imageResolution(), rnd); // [N, 3, R, R]
                    NDArray embedded = SphericalDistanceLoss.normalize(m.encodeImage(viewed.sub(mean).div(std))); // [N, D]
                    float[] own = embedded.stopGradient().mean(new int[] {0}).toFloatArray(); // [D]
                    if (meanEmbedding == null) {
                        meanEmbedding = own;
                    } else {
                        // The member's part of the ensemble space: unit-length parts scaled by √w.
                        float scale = (float) Math.sqrt(guide.weight());
                        for (int k = 0; k < own.length; k++) {
                            meanEmbedding[guide.offset() + k] = own[k] * scale;
                        }
                    }
                    for (GuideTarget target : stage.targets()) {
                        if (!target.activeAt(t)) {
                            continue;
                        }
                        TargetTerm term = targetTerm(step, embedded, target, wins, guide.offset(), guide.embedDim());
                        loss = loss.add(guides.size() == 1 ? term.loss() : ScalarOps.mul(term.loss(), guide.weight()));
                        simSum += guide.weight() * term.positiveCosineSum();
                        simCount += guide.weight() * term.positiveCount();
                    }
                }
                loss = loss.add(canvas.regularizers(x, t));
                collector.backward(loss);
                lossValue = loss.stopGradient().getFloat();
                similarity = simCount == 0 ? 0 : simSum / simCount;
            }
            if (!Double.isFinite(lossValue)) {
                // One non-finite value would spread through the optimizer's moments to every
                // parameter for the rest of the dream: skip this update.
                LOG.warn("dream step skipped: loss {}", lossValue);
                return new StepOutcome(lossValue, similarity, meanEmbedding);
            }
            canvas.update(g);
            return new StepOutcome(lossValue, similarity, meanEmbedding);
        }
    }

    /** True when no value is NaN or infinite (one scalar read back). */
    static boolean allFinite(NDArray values) {
        return !values.isNaN().logicalOr(values.isInfinite()).any().getBoolean();
    }

    private record TargetTerm(NDArray loss, double positiveCosineSum, int positiveCount) {
    }

    /**
     * Mean over views of Σ_f w_f · sph(view, f), or only the best-matching f per view with
     * select-best. The features are read at {@code [offset, offset + d)}: all of them for one
     * model, the member's part for a member of an ensemble.
     */
    private static TargetTerm targetTerm(NDManager step, NDArray embedded, GuideTarget target,
            Map<String, Integer> wins, int offset, int d) {
        List<GuideFeature> features = target.features();
        int f = features.size();
        float[] flat = new float[f * d];
        for (int j = 0; j < f; j++) {
            System.arraycopy(features.get(j).embedding(), offset, flat, j * d, d);
        }
        NDArray feats = SphericalDistanceLoss.normalize(step.create(flat, new Shape(f, d))); // [F, D]
        NDArray cos = embedded.matMul(feats.transpose()); // [N, F]
        float[] c = cos.stopGradient().toFloatArray();
        int n = c.length / f;
        float[] w = new float[n * f];
        double simSum = 0;
        int simCount = 0;
        for (int v = 0; v < n; v++) {
            if (target.selectBest()) {
                int best = 0;
                for (int j = 1; j < f; j++) {
                    if (c[v * f + j] > c[v * f + best]) {
                        best = j;
                    }
                }
                w[v * f + best] = (float) (features.get(best).weight() * target.weight());
                wins.merge(winKey(target, features.get(best)), 1, Integer::sum);
            } else {
                for (int j = 0; j < f; j++) {
                    w[v * f + j] = (float) (features.get(j).weight() * target.weight());
                }
            }
            for (int j = 0; j < f; j++) {
                if (features.get(j).weight() * target.weight() > 0) {
                    simSum += c[v * f + j];
                    simCount++;
                }
            }
        }
        NDArray sph = SphericalDistanceLoss.fromCosine(cos); // [N, F]
        NDArray loss = ScalarOps.div(sph.mul(step.create(w, new Shape(n, f))).sum(), n);
        return new TargetTerm(loss, simSum, simCount);
    }

    /** Mean cosine of the whole picture to the positive features the plan ends with. */
    private double finalSimilarity(RgbImage image, GuidePlan plan) {
        GuideStage last = plan.stages().get(plan.stages().size() - 1);
        double tEnd = (plan.totalSteps() - 1.0) / plan.totalSteps();
        List<float[]> positives = new ArrayList<>();
        for (GuideTarget target : last.targets()) {
            if (target.activeAt(tEnd)) {
                addPositives(target, positives);
            }
        }
        if (positives.isEmpty()) {
            last.targets().forEach(target -> addPositives(target, positives));
        }
        if (positives.isEmpty()) {
            return 0;
        }
        float[] embedded = new PictureSimilarity(model).embed(image);
        double sum = 0;
        for (float[] p : positives) {
            sum += SphericalDistanceLoss.cosineOf(embedded, p);
        }
        return sum / positives.size();
    }

    private static void addPositives(GuideTarget target, List<float[]> into) {
        for (GuideFeature f : target.features()) {
            if (f.weight() * target.weight() > 0) {
                into.add(f.embedding());
            }
        }
    }

    private static Map<String, Integer> initialWins(GuidePlan plan) {
        Map<String, Integer> wins = new LinkedHashMap<>();
        for (GuideStage stage : plan.stages()) {
            for (GuideTarget target : stage.targets()) {
                if (target.selectBest()) {
                    for (GuideFeature f : target.features()) {
                        wins.putIfAbsent(winKey(target, f), 0);
                    }
                }
            }
        }
        return wins;
    }

    static String winKey(GuideTarget target, GuideFeature feature) {
        return target.name() + "/" + feature.label();
    }
}
