package dev.dreamoven.lab.toyworld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.dreamoven.clip.ClipConfig;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.clip.ClipInitializer;
import dev.dreamoven.clip.ClipTokenizer;
import dev.dreamoven.clip.OpenAiClip;
import dev.dreamoven.clip.Safetensors;
import dev.dreamoven.clip.ScalarOps;
import dev.dreamoven.image.RgbImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Trains the project's own small CLIP on the toy world: the same {@link OpenAiClip} as the real
 * models, from a seeded {@link ClipInitializer} state dict, with CLIP's symmetric contrastive loss
 * (learnable temperature {@code logit_scale}, clamped to ln 100), {@link ToyClipAdamW} and a
 * warmup + cosine schedule. Every step draws a fresh batch of scenes from a {@link Random} seeded by
 * (run seed, step), so a run is a pure function of its {@link ToyClipSettings}. Captions are the
 * generator's, at every detail level, so both "a red circle" and the fully detailed sentence learn
 * to match their pictures.
 */
public final class ToyClipTrainer implements AutoCloseable {

    /** Model id written into the checkpoint's metadata. */
    public static final String MODEL_ID = "shapes";
    private static final double MAX_LOGIT_SCALE = Math.log(100);

    /** One finished step: the loss of its batch, the learning rate it used, the temperature after it. */
    public record StepResult(int step, double loss, double learningRate, double logitScale, double gradNorm,
            int skipped) {
    }

    /** Something to tell the user during {@link #train}. */
    public interface Listener {
        void onStep(StepResult result);

        void onEvaluation(int step, ToyClipEvaluation.Accuracy accuracy);
    }

    private final ToyClipSettings settings;
    private final ClipTokenizer tokenizer;
    private final List<String> merges;
    private final ToyWorld world = new ToyWorld();
    private final NDManager manager;
    private final OpenAiClip model;
    private final ToyClipAdamW optimizer;
    private int step;
    private int skipped;
    private String startedFrom = "seeded init (ClipInitializer)";

    /**
     * @param merges the BPE merges of the model's vocabulary (see {@link ToyVocabulary#worldMerges})
     * @param parent the manager the model and optimizer state live under (closed by {@link #close})
     */
    public ToyClipTrainer(ToyClipSettings settings, List<String> merges, NDManager parent) {
        this(settings, merges, null, parent);
    }

    /**
     * Continues from saved weights (e.g. a cut-short run's {@code model.safetensors}) with a fresh
     * optimizer and this run's own schedule; the architecture must be the settings' one.
     *
     * @param start OpenAI key names → weights, or null for {@link ClipInitializer}'s seeded init
     */
    public ToyClipTrainer(ToyClipSettings settings, List<String> merges, Map<String, Safetensors.Tensor> start,
            NDManager parent) {
        this.settings = settings;
        this.merges = List.copyOf(merges);
        List<String> lines = new ArrayList<>();
        lines.add(ToyVocabulary.HEADER);
        lines.addAll(merges);
        ClipTokenizer base = ClipTokenizer.fromMerges(lines);
        this.tokenizer = base.withContextLength(settings.contextLength());
        this.manager = parent.newSubManager();
        ClipConfig config = settings.clipConfig(tokenizer.vocabSize());
        Map<String, NDArray> weights = ClipInitializer.initialize(config, settings.seed(), manager);
        if (start != null) {
            for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                Safetensors.Tensor t = start.get(e.getKey());
                if (t == null || !java.util.Arrays.equals(t.shape(), e.getValue().getShape().getShape())) {
                    manager.close();
                    throw new dev.dreamoven.common.InvalidInputException("the starting model does not have this run's "
                            + "architecture (tensor '" + e.getKey() + "')");
                }
                e.getValue().set(t.values());
            }
        }
        this.model = new OpenAiClip(MODEL_ID, weights);
        model.setTrainable(true);
        this.optimizer = new ToyClipAdamW(model.parameters(), decayed(model.parameters().keySet()), 0.9, 0.98, 1e-6,
                settings.weightDecay(), manager);
    }

    /**
     * The weights that get weight decay: matrices of linear maps and the patch convolution, not
     * biases, LayerNorm gains, embeddings or the temperature (as in CLIP's training).
     */
    static Set<String> decayed(Set<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            boolean matrix = name.endsWith("in_proj_weight") || name.endsWith("out_proj.weight")
                    || name.endsWith("c_fc.weight") || name.endsWith("c_proj.weight")
                    || name.equals("visual.conv1.weight") || name.equals("visual.proj")
                    || name.equals("text_projection");
            if (matrix) {
                out.add(name);
            }
        }
        return out;
    }

    /** Recorded in the checkpoint's metadata: where the weights came from before this run. */
    public void describeStart(String description) {
        this.startedFrom = description;
    }

    public ToyClipSettings settings() {
        return settings;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /** The model being trained (live weights). */
    public OpenAiClip model() {
        return model;
    }

    /** Steps done so far. */
    public int stepsDone() {
        return step;
    }

    /**
     * The scenes and captions of step {@code step}'s batch: a pure function of (seed, step). Three
     * quarters of it are groups of four hard negatives (a scene and its {@link ToyWorld#variants},
     * same colours, one attribute changed, each captioned so that the caption is false for its
     * siblings); the rest are independent random scenes for coverage. A share of the captions
     * ({@link ToyClipSettings#fullCaptionShare}) names every attribute instead.
     */
    public List<Sample> batch(int stepIndex) {
        Random random = new Random(settings.seed() * 0x9E3779B97F4A7C15L + stepIndex);
        List<Sample> out = new ArrayList<>(settings.batch());
        int groups = settings.batch() * 3 / 16;
        for (int g = 0; g < groups; g++) {
            Scene base = world.scene(random);
            List<Scene> group = new ArrayList<>(List.of(base));
            group.addAll(world.variants(base, random));
            for (Scene scene : group) {
                List<Scene> siblings = group.stream().filter(o -> o != scene).toList();
                out.add(new Sample(world.render(scene), fullCaption(random) ? ToyClipEvaluation.fullCaption(scene)
                        : world.captionAgainst(scene, siblings, random), scene));
            }
        }
        while (out.size() < settings.batch()) {
            Scene scene = world.scene(random);
            String caption = fullCaption(random) ? ToyClipEvaluation.fullCaption(scene)
                    : world.caption(scene, random);
            out.add(new Sample(world.render(scene), caption, scene));
        }
        return out;
    }

    /** Whether the next caption names everything; draws from {@code random} only when the share is set. */
    private boolean fullCaption(Random random) {
        return settings.fullCaptionShare() > 0 && random.nextDouble() < settings.fullCaptionShare();
    }

    /** One optimization step on a fresh batch; memory is freed before it returns. */
    public StepResult step() {
        double lr = settings.learningRate(step);
        List<Sample> samples = batch(step);
        double loss;
        double gradNorm;
        try (NDManager scope = manager.newSubManager()) {
            NDArray images = images(samples, scope); // [B, 3, R, R]
            NDArray tokens = tokens(samples, scope); // [B, ctx]
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray imageEmb = ToyClipEvaluation.unit(model.encodeImage(images)); // [B, D]
                NDArray textEmb = ToyClipEvaluation.unit(model.encodeText(tokens)); // [B, D]
                NDArray lossArray = contrastiveLoss(imageEmb, textEmb, scope);
                loss = lossArray.getFloat();
                collector.backward(lossArray);
            }
            gradNorm = optimizer.step(lr, settings.maxGradNorm(), scope); // NaN gradients: step skipped
            if (!Double.isFinite(gradNorm)) {
                skipped++;
            }
            clampLogitScale();
        }
        step++;
        return new StepResult(step, loss, lr, model.logitScale(), gradNorm, skipped);
    }

    /** The contrastive loss of the current weights on {@code samples}, without training. */
    public double loss(List<Sample> samples) {
        try (NDManager scope = manager.newSubManager()) {
            return contrastiveLoss(ToyClipEvaluation.unit(model.encodeImage(images(samples, scope))),
                    ToyClipEvaluation.unit(model.encodeText(tokens(samples, scope))), scope).getFloat();
        }
    }

    private static NDArray images(List<Sample> samples, NDManager scope) {
        List<RgbImage> pictures = samples.stream().map(Sample::image).toList();
        return ClipImages.normalize(ToyClipEvaluation.pixels(pictures, scope)); // [B, 3, R, R]
    }

    private NDArray tokens(List<Sample> samples, NDManager scope) {
        List<String> captions = samples.stream().map(Sample::caption).toList();
        return ToyClipEvaluation.tokens(tokenizer, captions, scope); // [B, ctx]
    }

    /**
     * CLIP's symmetric InfoNCE: cross-entropy of image→text and text→image logits
     * {@code exp(logit_scale) · cos}, matching pairs on the diagonal; a scalar in {@code scope}.
     *
     * @param imageEmb unit image embeddings [B, D], row i matching caption row i
     * @param textEmb unit caption embeddings [B, D]
     */
    NDArray contrastiveLoss(NDArray imageEmb, NDArray textEmb, NDManager scope) {
        NDArray scale = model.parameters().get("logit_scale").exp(); // []
        scale.attach(scope);
        NDArray logits = imageEmb.matMul(textEmb.transpose()).mul(scale); // [B images, B texts]
        long b = textEmb.getShape().get(0);
        NDArray diagonal = scope.eye((int) b); // [B, B]
        NDArray imageToText = logits.logSoftmax(1).mul(diagonal).sum();
        NDArray textToImage = logits.logSoftmax(0).mul(diagonal).sum();
        return ScalarOps.div(imageToText.add(textToImage), -2.0 * b);
    }

    private void clampLogitScale() {
        NDArray logitScale = model.parameters().get("logit_scale");
        double value = logitScale.getFloat();
        if (value > MAX_LOGIT_SCALE) {
            logitScale.subi((float) (value - MAX_LOGIT_SCALE));
        }
    }

    /** Zero-shot retrieval on the held-out scenes (see {@link ToyClipEvaluation}). */
    public ToyClipEvaluation.Accuracy evaluate(int groups) {
        return ToyClipEvaluation.evaluate(model, tokenizer, world, groups, ToyClipSettings.EVAL_GROUP_SIZE, manager);
    }

    /**
     * Runs the remaining steps, evaluating every {@code evalEvery} steps and at the end.
     *
     * @return the final held-out accuracy
     */
    public ToyClipEvaluation.Accuracy train(Listener listener) {
        while (step < settings.steps()) {
            StepResult result = step();
            listener.onStep(result);
            if (settings.evalEvery() > 0 && step % settings.evalEvery() == 0 && step < settings.steps()) {
                listener.onEvaluation(step, evaluate(Math.max(1, settings.evalGroups() / 2)));
            }
        }
        ToyClipEvaluation.Accuracy last = evaluate(settings.evalGroups());
        listener.onEvaluation(step, last);
        return last;
    }

    /**
     * Writes {@code dir/model.safetensors} (OpenAI key names; architecture, training facts and id
     * {@value #MODEL_ID} in {@code __metadata__}) and {@code dir/vocab.txt.gz}.
     */
    public void save(Path dir, ToyClipEvaluation.Accuracy accuracy, double trainingSeconds) throws IOException {
        Files.createDirectories(dir);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        model.parameters().forEach((name, p) -> tensors.put(name,
                new Safetensors.Tensor(p.getShape().getShape(), p.toFloatArray())));
        ByteArrayOutputStream modelBytes = new ByteArrayOutputStream();
        Safetensors.write(modelBytes, tensors, metadata(accuracy, trainingSeconds));
        ByteArrayOutputStream vocabBytes = new ByteArrayOutputStream();
        ToyVocabulary.write(vocabBytes, merges);
        writeAtomically(dir.resolve("model.safetensors"), modelBytes.toByteArray());
        writeAtomically(dir.resolve("vocab.txt.gz"), vocabBytes.toByteArray());
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".part");
        Files.write(temp, bytes);
        Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    Map<String, String> metadata(ToyClipEvaluation.Accuracy accuracy, double trainingSeconds) {
        ClipConfig c = model.config();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model_id", MODEL_ID);
        m.put("format", "pt");
        // The colours of the world it was trained on: a layered dream draws with these by default.
        m.put(dev.dreamoven.clip.ClipCheckpoints.PALETTE_KEY, java.util.Arrays.stream(ToyColour.values())
                .map(colour -> String.format(java.util.Locale.ROOT, "#%06X", colour.rgb()))
                .collect(java.util.stream.Collectors.joining(",")));
        m.put("architecture", "OpenAI CLIP (ViT image tower, causal text transformer)");
        m.put("embed_dim", Integer.toString(c.embedDim()));
        m.put("image_resolution", Integer.toString(c.imageResolution()));
        m.put("vision_width", Integer.toString(c.visionWidth()));
        m.put("vision_layers", Integer.toString(c.visionLayers()));
        m.put("vision_patch_size", Integer.toString(c.visionPatchSize()));
        m.put("text_width", Integer.toString(c.textWidth()));
        m.put("text_layers", Integer.toString(c.textLayers()));
        m.put("context_length", Integer.toString(c.contextLength()));
        m.put("vocab_size", Integer.toString(c.vocabSize()));
        m.put("training_data", "toyworld (procedural coloured shapes, " + ToyWorld.SIDE + " px), fresh samples each step");
        m.put("training_steps", Integer.toString(step));
        m.put("training_started_from", startedFrom);
        m.put("training_batch", Integer.toString(settings.batch()));
        m.put("training_seed", Long.toString(settings.seed()));
        m.put("training_peak_lr", Double.toString(settings.peakLearningRate()));
        m.put("training_warmup_steps", Integer.toString(settings.warmupSteps()));
        m.put("training_max_grad_norm", Double.toString(settings.maxGradNorm()));
        m.put("training_skipped_steps", Integer.toString(skipped));
        m.put("training_weight_decay", Double.toString(settings.weightDecay()));
        m.put("training_optimizer", "AdamW(0.9, 0.98, eps 1e-6), warmup + cosine");
        m.put("training_seconds", String.format(Locale.ROOT, "%.0f", trainingSeconds));
        m.put("logit_scale", String.format(Locale.ROOT, "%.3f", model.logitScale()));
        m.put("heldout_text_to_image", String.format(Locale.ROOT, "%.4f", accuracy.textToImage()));
        m.put("heldout_image_to_text", String.format(Locale.ROOT, "%.4f", accuracy.imageToText()));
        m.put("heldout_pairs", Integer.toString(accuracy.pairs()));
        m.put("heldout_hard_text_to_image", String.format(Locale.ROOT, "%.4f", accuracy.hardTextToImage()));
        m.put("heldout_hard_captions", Integer.toString(accuracy.hardCaptions()));
        m.put("training_full_caption_share", Double.toString(settings.fullCaptionShare()));
        m.put("training_batches", "3/4 groups of a scene and 3 one-attribute variants (ToyWorld.variants), 1/4 random");
        m.put("heldout_group_size", Integer.toString(ToyClipSettings.EVAL_GROUP_SIZE));
        return m;
    }

    @Override
    public void close() {
        optimizer.close();
        model.close();
        manager.close();
    }
}
