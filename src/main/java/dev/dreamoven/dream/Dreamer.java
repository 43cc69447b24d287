package dev.dreamoven.dream;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.clip.ClipModel;
import dev.dreamoven.clip.ScalarOps;
import dev.dreamoven.image.RgbImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
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
 * of the step; only the picture, the anchor and the optimizer state survive.
 */
public final class Dreamer {

    private static final Logger LOG = LoggerFactory.getLogger(Dreamer.class);

    /** Noise images made per dream; views draw from them (see {@link Cutouts.NoiseBank}). */
    static final int NOISE_IMAGES = 16;

    private final ClipModel model;
    private final BiFunction<DreamSettings.Schedule, NDManager, PixelOptimizer> optimizers;

    public Dreamer(ClipModel model) {
        this(model, PixelOptimizer::create);
    }

    /** With a chosen optimizer factory (tests count resets with it). */
    Dreamer(ClipModel model, BiFunction<DreamSettings.Schedule, NDManager, PixelOptimizer> optimizers) {
        this.model = model;
        this.optimizers = optimizers;
    }

    public ClipModel model() {
        return model;
    }

    public DreamResult dream(GuidePlan plan, DreamSettings settings, long seed, DreamListener listener) {
        return dream(plan, settings, seed, listener, null);
    }

    /**
     * @param init starting picture (any size, resized to the first octave), or null for {@code settings.init()}
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
        CosineSchedule schedule = CosineSchedule.of(settings.schedule(), total);
        Map<String, Integer> wins = initialWins(plan);
        float[][] embeddings = new float[total][];
        List<RgbImage> frames = new ArrayList<>();
        try (NDManager run = NDManager.newBaseManager();
                PixelOptimizer optimizer = optimizers.apply(settings.schedule(), run)) {
            int octave = 0;
            int side = settings.octaveSize(0);
            NDArray picture = initialPicture(run, settings, side, rnd, init); // [1, 3, s, s]
            NDArray anchor = settings.schedule().init() == DreamSettings.Init.NOISE && init == null
                    ? run.full(picture.getShape(), 0.5f) : picture.duplicate();
            NDArray mean = run.create(ClipImages.mean(), new Shape(1, 3, 1, 1));
            NDArray std = run.create(ClipImages.std(), new Shape(1, 3, 1, 1));
            Cutouts.NoiseBank noiseBank = settings.views().noise() > 0
                    ? Cutouts.NoiseBank.create(run, model.imageResolution(), NOISE_IMAGES, rnd) : null;
            int g = 0;
            for (int si = 0; si < plan.stages().size(); si++) {
                GuideStage stage = plan.stages().get(si);
                if (si > 0 && plan.resetOptimizerEachStage()) {
                    optimizer.reset();
                }
                for (int i = 0; i < stage.steps(); i++, g++) {
                    if (watcher.cancelled()) {
                        throw new DreamCancelledException(g);
                    }
                    int wanted = Math.min(settings.schedule().octaves() - 1, (int) ((long) g * settings.schedule().octaves() / total));
                    if (wanted != octave) {
                        octave = wanted;
                        side = settings.octaveSize(octave);
                        NDArray[] next = upsample(run, picture, side);
                        picture.close();
                        anchor.close();
                        picture = next[0];
                        anchor = next[1];
                        optimizer.reset();
                    }
                    double t = (double) g / total;
                    StepOutcome out = step(run, picture, anchor, mean, std, noiseBank, stage, t, settings, rnd,
                            schedule.at(g), optimizer, wins);
                    embeddings[g] = out.meanEmbedding();
                    int shownSide = side;
                    int size = settings.size();
                    RgbImage[] shown = new RgbImage[1];
                    NDArray current = picture;
                    // Read back only when somebody looks: the listener during onStep, or a frame.
                    java.util.function.Supplier<RgbImage> preview = () -> {
                        if (shown[0] == null) {
                            shown[0] = fullSize(current.toFloatArray(), shownSide, size);
                        }
                        return shown[0];
                    };
                    if (settings.output().frameEvery() > 0 && (g + 1) % settings.output().frameEvery() == 0) {
                        frames.add(preview.get());
                    }
                    watcher.onStep(new DreamProgress(g + 1, total, si, out.similarity(), out.loss(), preview));
                }
            }
            float[] finalPixels = picture.toFloatArray();
            RgbImage image = fullSize(finalPixels, side, settings.size());
            if (settings.output().frameEvery() > 0 && total % settings.output().frameEvery() != 0) {
                frames.add(image);
            }
            double similarity = finalSimilarity(image, plan);
            double seconds = (System.nanoTime() - started) / 1e9;
            return new DreamResult(image, similarity, wins, frames, embeddings, seconds, total);
        }
    }

    private record StepOutcome(double loss, double similarity, float[] meanEmbedding) {
    }

    private StepOutcome step(NDManager run, NDArray picture, NDArray anchor, NDArray mean, NDArray std,
            Cutouts.NoiseBank noiseBank, GuideStage stage, double t, DreamSettings s, Random rnd, double lr, PixelOptimizer optimizer,
            Map<String, Integer> wins) {
        try (NDManager step = run.newSubManager()) {
            picture.tempAttach(step);
            int side = (int) picture.getShape().get(3);
            List<Cutouts.View> views = Cutouts.sample(s.views(), side, side, rnd);
            NDArray x = picture.duplicate(); // [1, 3, s, s], the leaf the gradient lands on
            x.setRequiresGradient(true);
            double lossValue;
            double similarity;
            float[] meanEmbedding;
            NDArray grad;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray viewed = Cutouts.render(x, views, model.imageResolution(), noiseBank, rnd); // [N, 3, R, R]
                NDArray embedded = SphericalDistanceLoss.normalize(model.encodeImage(viewed.sub(mean).div(std))); // [N, D]
                meanEmbedding = embedded.stopGradient().mean(new int[] {0}).toFloatArray();
                NDArray loss = ScalarOps.mul(x.mean(), 0); // keeps a graph even when nothing is active
                double simSum = 0;
                int simCount = 0;
                for (GuideTarget target : stage.targets()) {
                    if (!target.activeAt(t)) {
                        continue;
                    }
                    TargetTerm term = targetTerm(step, embedded, target, wins);
                    loss = loss.add(term.loss());
                    simSum += term.positiveCosineSum();
                    simCount += term.positiveCount();
                }
                loss = loss.add(regularizers(x, s.regularizers()));
                collector.backward(loss);
                lossValue = loss.stopGradient().getFloat();
                similarity = simCount == 0 ? 0 : simSum / simCount;
                grad = x.getGradient();
            }
            boolean finiteGrad = allFinite(grad);
            if (!Double.isFinite(lossValue) || !finiteGrad) {
                // One non-finite value would spread through the optimizer's moments to every pixel
                // for the rest of the dream (and make the final similarity NaN): skip this update.
                LOG.warn("dream step skipped: loss {}, gradient {}finite", lossValue, finiteGrad ? "" : "not ");
                return new StepOutcome(lossValue, similarity, meanEmbedding);
            }
            if (s.schedule().gradientNormalization()) {
                grad = GradientNormalization.apply(grad);
            }
            optimizer.step(picture, grad, lr, anchor);
            if (s.schedule().clamp()) {
                clampToUnit(picture);
            }
            return new StepOutcome(lossValue, similarity, meanEmbedding);
        }
    }

    /** True when no value is NaN or infinite (one scalar read back). */
    static boolean allFinite(NDArray values) {
        return !values.isNaN().logicalOr(values.isInfinite()).any().getBoolean();
    }

    /**
     * Clips the picture to [0, 1] in place. Copies the clipped values over the picture's own: the
     * earlier {@code muli(0).addi(clipped)} turned an infinite value into NaN (∞ · 0), which no later
     * clip could undo.
     */
    static void clampToUnit(NDArray picture) {
        picture.set(new NDIndex("..."), picture.clip(0f, 1f));
    }

    private record TargetTerm(NDArray loss, double positiveCosineSum, int positiveCount) {
    }

    /** Mean over views of Σ_f w_f · sph(view, f), or only the best-matching f per view with select-best. */
    private static TargetTerm targetTerm(NDManager step, NDArray embedded, GuideTarget target,
            Map<String, Integer> wins) {
        List<GuideFeature> features = target.features();
        int f = features.size();
        int d = target.embedDim();
        float[] flat = new float[f * d];
        for (int j = 0; j < f; j++) {
            System.arraycopy(features.get(j).embedding(), 0, flat, j * d, d);
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

    private static NDArray regularizers(NDArray x, DreamSettings.Regularizers s) {
        NDArray total = ScalarOps.mul(x.mean(), 0);
        if (s.maskedTv() > 0) {
            NDArray mask = MaskedTotalVariation.mask(x); // from the current picture, without gradient
            total = total.add(ScalarOps.mul(MaskedTotalVariation.loss(x, mask), s.maskedTv()));
        }
        if (s.tv() > 0) {
            total = total.add(ScalarOps.mul(TotalVariation.loss(x), s.tv()));
        }
        if (s.range() > 0) {
            total = total.add(ScalarOps.mul(RangePenalty.loss(x), s.range()));
        }
        if (s.std() > 0) {
            total = total.add(ScalarOps.mul(StdPenalty.loss(x, s.stdTarget()), s.std()));
        }
        if (s.saturation() > 0) {
            total = total.add(ScalarOps.mul(SaturationPenalty.loss(x, s.saturationMax(), s.saturationMin()),
                    s.saturation()));
        }
        return total;
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

    private static NDArray initialPicture(NDManager run, DreamSettings s, int side, Random rnd, RgbImage init) {
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
        if (s.schedule().init() == DreamSettings.Init.GREY) {
            java.util.Arrays.fill(values, 0.5f);
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = 0.25f + 0.5f * rnd.nextFloat();
            }
        }
        return run.create(values, new Shape(1, 3, side, side));
    }

    /** The picture and a copy of it (the new anchor), both bilinearly upsampled to {@code side}, in {@code run}. */
    private static NDArray[] upsample(NDManager run, NDArray picture, int side) {
        try (NDManager scope = run.newSubManager()) {
            picture.tempAttach(scope);
            NDArray up = Cutouts.resize(picture, side).clip(0f, 1f);
            up.attach(run);
            NDArray copy = up.duplicate();
            copy.attach(run);
            return new NDArray[] {up, copy};
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
