package dev.dreamoven.lab.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ClipCheckpoints;
import dev.dreamoven.clip.ClipTokenizer;
import dev.dreamoven.clip.OpenAiClip;
import dev.dreamoven.clip.Safetensors;
import dev.dreamoven.testing.Torch;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model shipped in the jar ({@code /models/shapes/}) as every other part reads it. */
class ToyClipModelTest {

    private static final String MODEL = "/models/shapes/model.safetensors";
    private static final String VOCAB = "/models/shapes/vocab.txt.gz";

    @RegisterExtension
    static final Torch TORCH = new Torch();

    private static OpenAiClip model;
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = ToyClipModelTest.class.getResourceAsStream(MODEL)) {
            assertThat(in).as("shipped model resource " + MODEL).isNotNull();
            model = ClipCheckpoints.loadSafetensors(in, "unnamed", TORCH.manager());
        }
        try (InputStream in = ToyClipModelTest.class.getResourceAsStream(VOCAB)) {
            assertThat(in).as("shipped vocabulary resource " + VOCAB).isNotNull();
            tokenizer = ClipTokenizer.load(in).withContextLength(model.config().contextLength());
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void it_recommends_the_eight_colours_of_its_world_so_default_dreams_draw_with_them() {
        assertThat(model.palette()).containsExactly(java.util.Arrays.stream(ToyColour.values())
                .map(ToyColour::rgb).toArray(Integer[]::new));
    }

    @Test
    void it_is_the_shapes_model_with_its_own_vocabulary() throws Exception {
        assertThat(model.id()).isEqualTo("shapes");
        assertThat(model.config().imageResolution()).isEqualTo(ToyWorld.SIDE);
        assertThat(tokenizer.vocabSize()).isEqualTo(model.config().vocabSize());
        Map<String, String> metadata;
        try (InputStream in = ToyClipModelTest.class.getResourceAsStream(MODEL)) {
            metadata = Safetensors.read(in).metadata();
        }
        assertThat(metadata).containsKeys("training_steps", "training_seed", "heldout_text_to_image");
    }

    @Test
    void it_finds_the_right_picture_for_most_captions_among_64_held_out_pictures() {
        // Measured: 96.9% text→image, 97.3% image→text on these 256 pairs (the model before
        // hard-negative training: 88.3% / 90.2%); the target is 90% both ways.
        ToyClipEvaluation.Accuracy accuracy = ToyClipEvaluation.evaluate(model, tokenizer, new ToyWorld(), 4,
                ToyClipSettings.EVAL_GROUP_SIZE, TORCH.manager());
        assertThat(accuracy.pairs()).isEqualTo(256);
        assertThat(accuracy.textToImage()).isGreaterThanOrEqualTo(0.90);
        assertThat(accuracy.imageToText()).isGreaterThanOrEqualTo(0.90);
        // Hard: a full caption against its scene's three one-attribute variants (same colours, 4-way).
        // Measured 77.0% (before hard-negative training: 43.0%; chance 25%).
        assertThat(accuracy.hardTextToImage()).isGreaterThanOrEqualTo(0.70);
    }

    @Test
    void true_renders_of_the_evaluation_prompts_score_what_a_faithful_dream_would() {
        // Measured 0.796 (single shapes); the eval's dreams reach 0.79 while the judge rejects most.
        double single = ToyClipEvaluation.trueRenderSimilarity(model, tokenizer, new ToyWorld(),
                ToyPromptSet.SINGLE_SHAPE, 4, TORCH.manager());
        assertThat(single).isBetween(0.7, 0.9);
        assertThat(ToyClipEvaluation.trueRenderSimilarity(model, tokenizer, new ToyWorld(), ToyPromptSet.SINGLE_SHAPE,
                4, TORCH.manager())).as("seeded: the same scenes every time").isEqualTo(single);
    }

    @Test
    void it_tells_small_shapes_apart_by_kind_alone_better_than_big_ones() {
        // Measured (96 scenes a size): small 99.2 % text→image, 97.7 % image→text; big 88.3 %, 84.9 %
        // (chance 25 %): the shipped model fails the 90 % shape-only gate on big shapes.
        ToyClipEvaluation.ShapeOnly s = ToyClipEvaluation.shapeOnly(model, tokenizer, new ToyWorld(), 96, TORCH.manager());
        assertThat(s.smallTextToImage()).isGreaterThanOrEqualTo(0.95);
        assertThat(s.smallImageToText()).isGreaterThanOrEqualTo(0.9);
        assertThat(s.bigTextToImage()).isBetween(0.8, 0.95);
        assertThat(s.bigImageToText()).isBetween(0.75, 0.95);
        assertThat(s.passes(0.9)).isFalse();
        assertThat(s.scenesPerSize()).isEqualTo(96);
    }

    @Test
    void among_pictures_one_attribute_apart_it_finds_the_right_kind_and_size() {
        // Measured: kind 89.6% (4-way), size 100% (2-way); position 29.2% (5-way, chance 20%) and
        // relation 28.1% (4-way, chance 25%): the image tower is nearly blind to where things are.
        ToyClipEvaluation.AttributeAccuracy a = ToyClipEvaluation.attributeAccuracy(model, tokenizer, new ToyWorld(),
                24, TORCH.manager());
        assertThat(a.kind()).isGreaterThanOrEqualTo(0.85);
        assertThat(a.size()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void short_and_detailed_captions_of_one_picture_both_prefer_it_to_a_picture_of_something_else() {
        ToyWorld world = new ToyWorld();
        Scene redCircle = new Scene(ToyColour.BLUE,
                java.util.List.of(new ShapeSpec(ShapeKind.CIRCLE, ShapeSize.BIG, ToyColour.RED, 32, 14)),
                java.util.Optional.empty());
        Scene greenSquare = new Scene(ToyColour.YELLOW,
                java.util.List.of(new ShapeSpec(ShapeKind.SQUARE, ShapeSize.SMALL, ToyColour.GREEN, 12, 32)),
                java.util.Optional.empty());
        try (NDManager scope = TORCH.manager().newSubManager()) {
            var pictures = dev.dreamoven.clip.ClipImages.normalize(ToyClipEvaluation.pixels(
                    java.util.List.of(world.render(redCircle), world.render(greenSquare)), scope));
            var captions = java.util.List.of("a red circle", "a big red circle at the top on a blue background",
                    "a green square", "a small green square on the left on a yellow background");
            var images = ToyClipEvaluation.unit(model.encodeImage(pictures)); // [2, D]
            var texts = ToyClipEvaluation.unit(model.encodeText(ToyClipEvaluation.tokens(tokenizer, captions, scope)));
            float[] sim = texts.matMul(images.transpose()).toFloatArray(); // [4 texts, 2 images]
            assertThat(sim[0]).isGreaterThan(sim[1]);
            assertThat(sim[2]).isGreaterThan(sim[3]);
            assertThat(sim[5]).isGreaterThan(sim[4]);
            assertThat(sim[7]).isGreaterThan(sim[6]);
        }
    }

    @Test
    void it_tells_a_red_square_from_a_red_circle_by_words_and_by_pictures() {
        ToyWorld world = new ToyWorld();
        Scene square = new Scene(ToyColour.BLUE,
                java.util.List.of(new ShapeSpec(ShapeKind.SQUARE, ShapeSize.BIG, ToyColour.RED, 32, 32)),
                java.util.Optional.empty());
        Scene circle = new Scene(ToyColour.BLUE,
                java.util.List.of(new ShapeSpec(ShapeKind.CIRCLE, ShapeSize.BIG, ToyColour.RED, 32, 32)),
                java.util.Optional.empty());
        var captions = java.util.List.of("a red square", "a red circle");
        try (NDManager scope = TORCH.manager().newSubManager()) {
            var pictures = dev.dreamoven.clip.ClipImages.normalize(ToyClipEvaluation.pixels(
                    java.util.List.of(world.render(square), world.render(circle)), scope));
            var images = ToyClipEvaluation.unit(model.encodeImage(pictures)); // [2, D]
            var texts = ToyClipEvaluation.unit(model.encodeText(ToyClipEvaluation.tokens(tokenizer, captions, scope)));
            float[] sim = texts.matMul(images.transpose()).toFloatArray(); // [2 texts, 2 images]
            assertThat(sim[0]).as("'a red square' prefers the square").isGreaterThan(sim[1]);
            assertThat(sim[3]).as("'a red circle' prefers the circle").isGreaterThan(sim[2]);
        }
        double distance = ToyClipEvaluation.textDistances(model, tokenizer, java.util.List.of(captions), TORCH.manager())[0];
        // The 2,750-step model failed this (distance 0.008; a colour change: ~0.9); the shipped 8,000-step one passes.
        assertThat(distance).isGreaterThan(0.05);
    }
}
