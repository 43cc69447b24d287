package dev.dreamoven.lab.toyworld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.clip.ClipCheckpoints;
import dev.dreamoven.clip.ClipTokenizer;
import dev.dreamoven.clip.OpenAiClip;
import dev.dreamoven.clip.Safetensors;
import dev.dreamoven.testing.Torch;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ToyClipTrainerTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    private static List<String> merges;

    @BeforeAll
    static void loadMerges() {
        merges = ToyVocabulary.worldMerges();
    }

    @Test
    void a_few_steps_on_a_tiny_model_lower_the_contrastive_loss_on_unseen_pairs() {
        ToyClipSettings settings = ToyClipSettings.tiny().withSteps(25);
        try (ToyClipTrainer trainer = new ToyClipTrainer(settings, merges, TORCH.manager())) {
            List<Sample> probe = new ToyWorld().samples(12345L, 32);
            double before = trainer.loss(probe);
            for (int i = 0; i < settings.steps(); i++) {
                trainer.step();
            }
            double after = trainer.loss(probe);
            assertThat(before).isGreaterThan(Math.log(32) - 0.3); // untrained: chance or worse
            assertThat(after).isLessThan(before - 0.3);
        }
    }

    @Test
    void the_same_seed_gives_the_same_first_steps_and_another_seed_does_not() {
        ToyClipSettings settings = ToyClipSettings.tiny();
        List<Double> first = losses(settings, 3);
        assertThat(losses(settings, 3)).isEqualTo(first);
        assertThat(losses(settings.withSeed(settings.seed() + 1), 3)).isNotEqualTo(first);
    }

    @Test
    void full_captions_name_every_attribute_in_the_share_asked_for() {
        try (ToyClipTrainer none = new ToyClipTrainer(ToyClipSettings.tiny(), merges, TORCH.manager());
                ToyClipTrainer all = new ToyClipTrainer(ToyClipSettings.tiny().withFullCaptionShare(1), merges, TORCH.manager());
                ToyClipTrainer half = new ToyClipTrainer(ToyClipSettings.tiny().withFullCaptionShare(0.5).withBatch(64),
                        merges, TORCH.manager())) {
            assertThat(all.batch(0)).allSatisfy(s -> assertThat(s.caption())
                    .isEqualTo(ToyClipEvaluation.fullCaption(s.scene())));
            assertThat(none.batch(0)).anySatisfy(s -> assertThat(s.caption())
                    .isNotEqualTo(ToyClipEvaluation.fullCaption(s.scene())));
            long full = half.batch(0).stream().filter(s -> s.caption().equals(ToyClipEvaluation.fullCaption(s.scene())))
                    .count();
            assertThat(full).isBetween(20L, 50L); // about half of 64, plus short captions that happen to be full
        }
        assertThatThrownBy(() -> ToyClipSettings.tiny().withFullCaptionShare(1.5))
                .isInstanceOf(InvalidInputException.class);
    }

    private static List<Double> losses(ToyClipSettings settings, int steps) {
        List<Double> out = new ArrayList<>();
        try (ToyClipTrainer trainer = new ToyClipTrainer(settings, merges, TORCH.manager())) {
            for (int i = 0; i < steps; i++) {
                out.add(trainer.step().loss());
            }
            out.add((double) trainer.model().parameters().get("visual.conv1.weight").sum().getFloat());
        }
        return out;
    }

    @Test
    void adamw_matches_hand_computed_updates_with_decay_only_where_asked() {
        double lr = 0.1;
        double b1 = 0.9;
        double b2 = 0.98;
        double eps = 1e-6;
        double wd = 0.5;
        try (NDManager m = TORCH.manager().newSubManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", m.create(new float[] {1f, -2f}));
            params.put("b", m.create(new float[] {0.5f}));
            params.values().forEach(p -> p.setRequiresGradient(true));
            float[] gw = {0.3f, -0.1f};
            float[] gb = {2f};
            try (ToyClipAdamW adam = new ToyClipAdamW(params, Set.of("w"), b1, b2, eps, wd, m)) {
                double[] w = {1, -2};
                double[] b = {0.5};
                double[] mw = new double[2];
                double[] vw = new double[2];
                double[] mb = new double[1];
                double[] vb = new double[1];
                for (int t = 1; t <= 2; t++) {
                    try (NDManager scope = m.newSubManager()) {
                        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                            // loss = gw·w + gb·b, so the gradients are gw and gb
                            NDArray loss = params.get("w").mul(scope.create(gw)).sum()
                                    .add(params.get("b").mul(scope.create(gb)).sum());
                            loss.attach(scope);
                            gc.backward(loss);
                        }
                        adam.step(lr, scope);
                    }
                    handAdamW(w, gw, mw, vw, t, lr, b1, b2, eps, wd);
                    handAdamW(b, gb, mb, vb, t, lr, b1, b2, eps, 0);
                }
                float[] gotW = params.get("w").toFloatArray();
                float[] gotB = params.get("b").toFloatArray();
                assertThat((double) gotW[0]).isCloseTo(w[0], within(1e-5));
                assertThat((double) gotW[1]).isCloseTo(w[1], within(1e-5));
                assertThat((double) gotB[0]).isCloseTo(b[0], within(1e-5));
                // Each Adam step moves a parameter by about lr whatever the gradient's size.
                assertThat(b[0]).isCloseTo(0.5 - 2 * lr, within(1e-3));
                assertThat(params.get("b").getGradient().toFloatArray()).containsOnly(0f);
            }
        }
    }

    /** PyTorch's AdamW, written out in doubles. */
    private static void handAdamW(double[] p, float[] g, double[] m, double[] v, int t, double lr, double b1,
            double b2, double eps, double wd) {
        for (int i = 0; i < p.length; i++) {
            p[i] *= 1 - lr * wd;
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            double mHat = m[i] / (1 - Math.pow(b1, t));
            double vHat = v[i] / (1 - Math.pow(b2, t));
            p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
        }
    }

    @Test
    void weight_decay_skips_biases_layer_norms_embeddings_and_the_temperature() {
        Set<String> names = OpenAiClip.expectedShapes(ToyClipSettings.tiny().clipConfig(600)).keySet();
        Set<String> decayed = ToyClipTrainer.decayed(names);
        assertThat(decayed).contains("visual.conv1.weight", "visual.proj", "text_projection",
                "transformer.resblocks.0.attn.in_proj_weight", "visual.transformer.resblocks.0.mlp.c_fc.weight");
        assertThat(decayed).noneMatch(n -> n.endsWith("bias") || n.contains("ln_") || n.contains("embedding")
                || n.equals("logit_scale"));
    }

    @Test
    void the_learning_rate_warms_up_linearly_then_decays_along_a_cosine_to_zero() {
        ToyClipSettings s = ToyClipSettings.shipped().withSteps(1000);
        int warmup = s.warmupSteps();
        assertThat(s.learningRate(0)).isCloseTo(s.peakLearningRate() / warmup, within(1e-12));
        assertThat(s.learningRate(warmup - 1)).isCloseTo(s.peakLearningRate(), within(1e-12));
        int middle = warmup + (1000 - warmup) / 2;
        assertThat(s.learningRate(middle)).isCloseTo(s.peakLearningRate() / 2, within(1e-5));
        assertThat(s.learningRate(999)).isLessThan(s.peakLearningRate() * 1e-4);
    }

    @Test
    void the_patch_size_must_divide_the_picture_and_sets_the_image_towers_grid() {
        assertThat(ToyClipSettings.shipped().withPatchSize(8).clipConfig(600).visionPatchSize()).isEqualTo(8);
        assertThatThrownBy(() -> ToyClipSettings.shipped().withPatchSize(10))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("divide");
        assertThatThrownBy(() -> ToyClipSettings.shipped().withPatchSize(0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("positive");
    }

    @Test
    void a_saved_model_loads_as_a_clip_checkpoint_with_its_vocabulary_and_scores_the_same(@TempDir Path dir)
            throws Exception {
        ToyClipSettings settings = ToyClipSettings.tiny();
        try (ToyClipTrainer trainer = new ToyClipTrainer(settings, merges, TORCH.manager())) {
            trainer.step();
            ToyClipEvaluation.Accuracy accuracy = trainer.evaluate(1);
            trainer.save(dir, accuracy, 1.0);
            Safetensors.Contents contents = Safetensors.read(dir.resolve("model.safetensors"));
            assertThat(contents.metadata()).containsEntry("model_id", "shapes").containsEntry("training_steps", "1")
                    .containsEntry("palette", "#DC2828,#28B43C,#2850DC,#F0DC28,#963CC8,#FA8C1E,#F5F5F5,#141414");
            ClipTokenizer tokenizer;
            try (InputStream in = Files.newInputStream(dir.resolve("vocab.txt.gz"))) {
                tokenizer = ClipTokenizer.load(in);
            }
            try (NDManager m = TORCH.manager().newSubManager();
                    InputStream in = Files.newInputStream(dir.resolve("model.safetensors"));
                    OpenAiClip loaded = ClipCheckpoints.loadSafetensors(in, "x", m)) {
                assertThat(loaded.id()).isEqualTo("shapes");
                assertThat(loaded.config()).isEqualTo(trainer.model().config());
                assertThat(tokenizer.vocabSize()).isEqualTo(loaded.config().vocabSize());
                ToyClipEvaluation.Accuracy again = ToyClipEvaluation.evaluate(loaded,
                        tokenizer.withContextLength(loaded.config().contextLength()), new ToyWorld(), 1,
                        ToyClipSettings.EVAL_GROUP_SIZE, m);
                assertThat(again).isEqualTo(accuracy);
            }
        }
    }

    @Test
    void every_caption_of_the_world_fits_the_shipped_context() {
        ToyClipSettings settings = ToyClipSettings.shipped();
        List<String> lines = new ArrayList<>();
        lines.add(ToyVocabulary.HEADER);
        lines.addAll(merges);
        ClipTokenizer tokenizer = ClipTokenizer.fromMerges(lines);
        ToyWorld world = new ToyWorld();
        int longest = 0;
        for (Scene scene : ToyClipEvaluation.heldOutScenes(world, 500)) {
            longest = Math.max(longest, tokenizer.countTokens(ToyClipEvaluation.fullCaption(scene)));
        }
        assertThat(longest).isLessThanOrEqualTo(settings.contextLength());
        assertThat(tokenizer.countTokens("a big red circle on a blue background")).isEqualTo(2 + 8);
    }
}
