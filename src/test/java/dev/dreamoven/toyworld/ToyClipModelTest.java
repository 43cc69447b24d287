package dev.dreamoven.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ClipCheckpoints;
import dev.dreamoven.clip.ClipTokenizer;
import dev.dreamoven.clip.OpenAiClip;
import dev.dreamoven.clip.Safetensors;
import dev.dreamoven.clip.TorchRuntime;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The model shipped in the jar ({@code /models/shapes/}) as every other part reads it. */
class ToyClipModelTest {

    private static final String MODEL = "/models/shapes/model.safetensors";
    private static final String VOCAB = "/models/shapes/vocab.txt.gz";

    private static NDManager base;
    private static OpenAiClip model;
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        TorchRuntime.start(0, 1);
        base = NDManager.newBaseManager("PyTorch");
        try (InputStream in = ToyClipModelTest.class.getResourceAsStream(MODEL)) {
            assertThat(in).as("shipped model resource " + MODEL).isNotNull();
            model = ClipCheckpoints.loadSafetensors(in, "unnamed", base);
        }
        try (InputStream in = ToyClipModelTest.class.getResourceAsStream(VOCAB)) {
            assertThat(in).as("shipped vocabulary resource " + VOCAB).isNotNull();
            tokenizer = ClipTokenizer.load(in).withContextLength(model.config().contextLength());
        }
    }

    @AfterAll
    static void close() {
        model.close();
        base.close();
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
        // The shipped model measured 88.3% text→image and 90.2% image→text on these 256 pairs; the
        // target is 90% both ways (not yet met: see the training notes). This guards against a worse model.
        ToyClipEvaluation.Accuracy accuracy = ToyClipEvaluation.evaluate(model, tokenizer, new ToyWorld(), 4,
                ToyClipSettings.EVAL_GROUP_SIZE, base);
        assertThat(accuracy.pairs()).isEqualTo(256);
        assertThat(accuracy.textToImage()).isGreaterThanOrEqualTo(0.87);
        assertThat(accuracy.imageToText()).isGreaterThanOrEqualTo(0.87);
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
        try (NDManager scope = base.newSubManager()) {
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
}
