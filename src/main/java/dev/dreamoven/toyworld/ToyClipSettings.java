package dev.dreamoven.toyworld;

import dev.dreamoven.InvalidInputException;
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
 * @param readoutWeight weight of the {@link SceneReadout} loss beside the contrastive loss (0: none):
 *     a linear head that must read every shape's colour, centre, kind and size and the background
 *     from the image embedding, which hands the image tower the position signal the contrastive
 *     loss alone never gives it
 * @param adversarial train on adversarial versions of the batch's pictures (see {@link Adversarial})
 * @param copyNegatives caption-less negatives per batch made by {@link ToyWorld#crowded}: a batch
 *     scene with extra copies of one of its shapes, which no caption describes (0: none). Dreams
 *     tend to repeat the asked shape all over the picture; the contrastive loss alone never sees
 *     such a picture, so nothing tells the model that one shape means one
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
        double fullCaptionShare,
        DreamNegatives dreamNegatives,
        double readoutWeight,
        Adversarial adversarial,
        int copyNegatives) {

    /**
     * The pool of the model's own dreams that each batch carries as caption-less negatives (see
     * {@link DreamNegativePool}).
     *
     * @param pool pictures in the pool, 0 for none
     * @param stepsPerStep {@code PIXEL_STEPS}: pixel steps each picture takes toward its caption per
     *     training step; {@code DREAM_LOOP}: unused (0)
     * @param lifetime {@code PIXEL_STEPS}: training steps a picture lives before it restarts from
     *     noise with a new caption; {@code DREAM_LOOP}: training steps between two new dreams, each
     *     replacing the oldest picture
     * @param source how the pool's pictures are made
     */
    public record DreamNegatives(int pool, int stepsPerStep, int lifetime, Source source) {
        public static final DreamNegatives NONE = new DreamNegatives(0, 0, 1);

        /** How pool pictures are made. */
        public enum Source {
            /** Plain normalized-gradient pixel steps on the whole picture, a few per training step. */
            PIXEL_STEPS,
            /** A whole {@code draft} dream of the product's dream loop (cut-outs, octaves, Adam). */
            DREAM_LOOP
        }

        public DreamNegatives(int pool, int stepsPerStep, int lifetime) {
            this(pool, stepsPerStep, lifetime, Source.PIXEL_STEPS);
        }

        public DreamNegatives {
            if (source == null || pool < 0 || pool > 256 || stepsPerStep < 0 || lifetime < 1
                    || (pool > 0 && source == Source.PIXEL_STEPS && stepsPerStep < 1)) {
                throw new InvalidInputException("dream negatives need a pool of 0-256, at least one pixel step "
                        + "per training step and a lifetime of at least one step");
            }
        }

        public boolean enabled() {
            return pool > 0;
        }
    }

    /**
     * Adversarial training (Madry et al.): every batch picture is first moved by projected gradient
     * ascent, within an L2 ball of radius {@code epsilon} in 0..1 pixel units, to raise the
     * contrastive loss, and the step trains on those pictures. A model that is robust this way has
     * gradients that look like the things it names (Santurkar et al. 2019), which is what dreaming
     * needs; a plain contrastive model's gradients are satisfied by coloured noise.
     *
     * @param epsilon radius of the L2 ball (a 64 × 64 RGB picture has 12,288 values; 0 for none)
     * @param steps gradient-ascent steps per batch, each 2.5 · epsilon / steps long
     */
    public record Adversarial(double epsilon, int steps) {
        public static final Adversarial NONE = new Adversarial(0, 0);

        public Adversarial {
            if (!(epsilon >= 0 && epsilon <= 100) || steps < 0 || steps > 20 || (epsilon > 0) != (steps > 0)) {
                throw new InvalidInputException("adversarial training needs a radius in 0..100 and 1-20 steps "
                        + "(or 0 and 0 for none)");
            }
        }

        public boolean enabled() {
            return steps > 0;
        }
    }

    /** Candidates per held-out group: a caption must find its picture among this many. */
    public static final int EVAL_GROUP_SIZE = 64;

    public ToyClipSettings {
        if (steps < 1 || batch < 2 || warmupSteps < 0 || evalEvery < 0 || evalGroups < 1) {
            throw new InvalidInputException("training needs at least 1 step, a batch of at least 2 and 1 evaluation group");
        }
        if (!(fullCaptionShare >= 0 && fullCaptionShare <= 1)) {
            throw new InvalidInputException("the share of full captions must lie in 0..1");
        }
        if (dreamNegatives == null) {
            throw new InvalidInputException("dream negatives must be given (DreamNegatives.NONE for none)");
        }
        if (adversarial == null) {
            throw new InvalidInputException("adversarial training must be given (Adversarial.NONE for none)");
        }
        if (copyNegatives < 0 || copyNegatives > batch) {
            throw new InvalidInputException("copy negatives must lie in 0..batch (" + batch + ")");
        }
        if (!(readoutWeight >= 0 && readoutWeight <= 100)) {
            throw new InvalidInputException("the read-out weight must lie in 0..100");
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
        return new ToyClipSettings(128, 128, 4, 16, 128, 3, 24, 8000, 64, 1L, 1.5e-3, 40, 0.1, 1.0, 250, 4, 0.5,
                DreamNegatives.NONE, 0.0, Adversarial.NONE, 0);
    }

    /** A tiny model for tests: one layer per tower, width 32. */
    public static ToyClipSettings tiny() {
        return new ToyClipSettings(32, 32, 1, 16, 32, 1, 24, 10, 16, 7L, 2e-3, 2, 0.1, 1.0, 0, 1, 0.0,
                DreamNegatives.NONE, 0.0, Adversarial.NONE, 0);
    }

    public ToyClipSettings withSteps(int n) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, n, batch, seed, peakLearningRate, Math.min(warmupSteps, Math.max(0, n / 10)),
                weightDecay, maxGradNorm, evalEvery, evalGroups, fullCaptionShare, dreamNegatives, readoutWeight, adversarial, copyNegatives);
    }

    public ToyClipSettings withBatch(int n) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, n, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery, evalGroups, fullCaptionShare, dreamNegatives, readoutWeight, adversarial, copyNegatives);
    }

    public ToyClipSettings withSeed(long s) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, s, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery, evalGroups, fullCaptionShare, dreamNegatives, readoutWeight, adversarial, copyNegatives);
    }

    public ToyClipSettings withEvalEvery(int n) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, n, evalGroups, fullCaptionShare, dreamNegatives, readoutWeight, adversarial, copyNegatives);
    }

    public ToyClipSettings withLearningRate(double lr) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, seed, lr, warmupSteps, weightDecay, maxGradNorm, evalEvery, evalGroups, fullCaptionShare, dreamNegatives, readoutWeight, adversarial, copyNegatives);
    }

    /** @throws InvalidInputException when {@code side} does not divide the picture side */
    public ToyClipSettings withPatchSize(int side) {
        if (side < 1) {
            throw new InvalidInputException("the patch size must be positive");
        }
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, side, textWidth, textLayers,
                contextLength, steps, batch, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery, evalGroups, fullCaptionShare, dreamNegatives, readoutWeight, adversarial, copyNegatives);
    }

    public ToyClipSettings withFullCaptionShare(double share) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery,
                evalGroups, share, dreamNegatives, readoutWeight, adversarial, copyNegatives);
    }

    public ToyClipSettings withDreamNegatives(DreamNegatives negatives) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery,
                evalGroups, fullCaptionShare, negatives, readoutWeight, adversarial, copyNegatives);
    }

    public ToyClipSettings withReadoutWeight(double weight) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery,
                evalGroups, fullCaptionShare, dreamNegatives, weight, adversarial, copyNegatives);
    }

    public ToyClipSettings withAdversarial(Adversarial a) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery,
                evalGroups, fullCaptionShare, dreamNegatives, readoutWeight, a, copyNegatives);
    }

    public ToyClipSettings withCopyNegatives(int n) {
        return new ToyClipSettings(embedDim, visionWidth, visionLayers, patchSize, textWidth, textLayers,
                contextLength, steps, batch, seed, peakLearningRate, warmupSteps, weightDecay, maxGradNorm, evalEvery,
                evalGroups, fullCaptionShare, dreamNegatives, readoutWeight, adversarial, n);
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
