package dev.dreamoven.lab.toyworld;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.clip.ClipConfig;

/**
 * Architecture and schedule of a toy-world CLIP training run. {@link #shipped()} is the shipped
 * model's architecture; {@link #tiny()} is a few-second configuration for tests.
 *
 * @param peakLearningRate reached after {@code warmupSteps} of linear warmup, then cosine decay to 0
 * @param maxGradNorm gradients are scaled down to this global L2 norm (0: no clipping)
 * @param evalEvery steps between held-out evaluations during training (0: only at the end)
 * @param fullCaptionShare the share of training captions that name every attribute (kinds, colours,
 *     sizes, position or relation, background) instead of a random subset; a full caption names
 *     what a short one leaves out, so the towers get a signal for those attributes in every pair
 */
public record ToyClipSettings(
        int embedDim,
        int visionWidth,
        int visionLayers,
        int patchSize,
        int textWidth,
        int textLayers,
        int contextLength,
        int steps,
        int batch,
        long seed,
        double peakLearningRate,
        int warmupSteps,
        double weightDecay,
        double maxGradNorm,
        int evalEvery,
        int evalGroups,
        double fullCaptionShare) {

    /** Candidates per held-out group: a caption must find its picture among this many. */
    public static final int EVAL_GROUP_SIZE = 64;

    public ToyClipSettings {
        if (steps < 1 || batch < 2 || warmupSteps < 0 || evalEvery < 0 || evalGroups < 1) {
            throw new InvalidInputException("training needs at least 1 step, a batch of at least 2 and 1 evaluation group");
        }
        if (!(fullCaptionShare >= 0 && fullCaptionShare <= 1)) {
            throw new InvalidInputException("the share of full captions must lie in 0..1");
        }
        if (!(peakLearningRate > 0) || weightDecay < 0 || maxGradNorm < 0) {
            throw new InvalidInputException("the learning rate must be positive and the weight decay not negative");
        }
        if (ToyWorld.SIDE % patchSize != 0) {
            throw new InvalidInputException("the patch size must divide the picture side " + ToyWorld.SIDE);
        }
    }

    /**
     * The architecture and defaults of {@code toyworld train}: the shipped model is exactly
     * {@code toyworld train --out DIR} with these (training is bit-reproducible on one machine with
     * one libtorch thread: two 2,750-step runs of this recipe gave identical weights). 8,000 steps,
     * because shape kinds only start to separate in the image tower after about 5,000.
     */
    public static ToyClipSettings shipped() {
        return new ToyClipSettings(128, 128, 4, 16, 128, 3, 24, 8000, 64, 1L, 1.5e-3, 40, 0.1, 1.0, 250, 4, 0.5);
    }

    /** A tiny model for tests: one layer per tower, width 32. */
    public static ToyClipSettings tiny() {
        return new ToyClipSettings(32, 32, 1, 16, 32, 1, 24, 10, 16, 7L, 2e-3, 2, 0.1, 1.0, 0, 1, 0.0);
    }

    public ToyClipSettings withSteps(int n) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, n, batch, seed, peakLearningRate, Math.min(warmupSteps, Math.max(0, n / 10)),
                weightDecay, maxGradNorm, evalEvery, evalGroups, fullCaptionShare);
    }

    public ToyClipSettings withBatch(int n) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, n, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery, evalGroups, fullCaptionShare);
    }

    public ToyClipSettings withSeed(long s) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, s, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery, evalGroups, fullCaptionShare);
    }

    public ToyClipSettings withEvalEvery(int n) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, n, evalGroups, fullCaptionShare);
    }

    public ToyClipSettings withLearningRate(double lr) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, seed, lr, warmupSteps, weightDecay, maxGradNorm, evalEvery, evalGroups, fullCaptionShare);
    }

    /** @throws InvalidInputException when {@code side} does not divide the picture side */
    public ToyClipSettings withPatchSize(int side) {
        if (side < 1) {
            throw new InvalidInputException("the patch size must be positive");
        }
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, side, textWidth, textLayers,
                contextLength, steps, batch, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery, evalGroups, fullCaptionShare);
    }

    public ToyClipSettings withFullCaptionShare(double share) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery,
                evalGroups, share);
    }

    /** The CLIP architecture for a vocabulary of {@code vocabSize} ids. */
    public ClipConfig clipConfig(int vocabSize) {
        return new ClipConfig(embedDim, ToyWorld.SIDE, visionLayers, visionWidth, patchSize, contextLength,
                vocabSize, textWidth, textLayers);
    }

    /** Learning rate before step {@code step} (0-based): linear warmup, then cosine to zero. */
    public double learningRate(int step) {
        if (step < warmupSteps) {
            return peakLearningRate * (step + 1) / warmupSteps;
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
        return peakLearningRate * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, progress)));
    }
}
