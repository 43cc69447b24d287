package dev.dreamoven.toyworld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.InvalidInputException;
import dev.dreamoven.testing.Torch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SceneReadoutTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    private static final Scene RED_SQUARE_LEFT_OF_BLUE_CIRCLE = new Scene(ToyColour.WHITE, List.of(
            new ShapeSpec(ShapeKind.SQUARE, ShapeSize.SMALL, ToyColour.RED, 16, 32),
            new ShapeSpec(ShapeKind.CIRCLE, ShapeSize.BIG, ToyColour.BLUE, 48, 40)), Optional.of(Relation.LEFT_OF));

    @Test
    void targets_hold_each_colours_shape_with_its_centre_kind_and_size_and_the_background() {
        SceneReadout.Targets t = SceneReadout.Targets.of(List.of(RED_SQUARE_LEFT_OF_BLUE_CIRCLE));
        int red = ToyColour.RED.ordinal();
        int blue = ToyColour.BLUE.ordinal();
        assertThat(t.shapes()).isEqualTo(2);
        for (ToyColour c : ToyColour.values()) {
            assertThat(t.present()[c.ordinal()]).as(c.name()).isEqualTo(c == ToyColour.RED || c == ToyColour.BLUE ? 1f : 0f);
            assertThat(t.background()[c.ordinal()]).as(c.name()).isEqualTo(c == ToyColour.WHITE ? 1f : 0f);
        }
        assertThat(t.centre()[red * 2]).isEqualTo(-0.5f); // x = 16 of 64 → −0.5
        assertThat(t.centre()[red * 2 + 1]).isEqualTo(0f);
        assertThat(t.centre()[blue * 2]).isEqualTo(0.5f);
        assertThat(t.centre()[blue * 2 + 1]).isEqualTo(0.25f);
        assertThat(t.kind()[red * SceneReadout.KINDS + ShapeKind.SQUARE.ordinal()]).isEqualTo(1f);
        assertThat(t.kind()[blue * SceneReadout.KINDS + ShapeKind.CIRCLE.ordinal()]).isEqualTo(1f);
        assertThat(t.size()[red * SceneReadout.SIZES + ShapeSize.SMALL.ordinal()]).isEqualTo(1f);
        assertThat(t.size()[blue * SceneReadout.SIZES + ShapeSize.BIG.ordinal()]).isEqualTo(1f);
        float kindOnes = 0;
        for (float v : t.kind()) {
            kindOnes += v;
        }
        assertThat(kindOnes).isEqualTo(2f); // absent colours ask nothing of the kind logits
    }

    @Test
    void with_every_output_zero_the_loss_is_the_sum_of_uniform_guesses_and_the_centres_squared() {
        try (NDManager scope = TORCH.manager().newSubManager()) {
            SceneReadout readout = new SceneReadout(16, 1L, scope);
            NDArray zeros = scope.zeros(new Shape(1, 16)); // an all-zero embedding makes every output its zero bias
            double loss = readout.loss(zeros, List.of(RED_SQUARE_LEFT_OF_BLUE_CIRCLE), scope).getFloat();
            double presence = Math.log(2); // mean over colours of log(1 + e^0)
            double centres = (0.25 + 0 + 0.25 + 0.0625) / 2; // squared errors summed per shape, mean over shapes
            double kind = Math.log(4);
            double size = Math.log(2);
            double background = Math.log(8);
            assertThat(loss).isCloseTo(presence + centres + kind + size + background, within(1e-5));
        }
    }

    @Test
    void its_gradient_reaches_the_image_tower_and_never_the_text_tower() {
        try (ToyClipTrainer trainer = new ToyClipTrainer(ToyClipSettings.tiny(), ToyVocabulary.worldMerges(), TORCH.manager());
                NDManager scope = TORCH.manager().newSubManager()) {
            List<Sample> samples = new ToyWorld().samples(99L, 8);
            SceneReadout readout = new SceneReadout(ToyClipSettings.tiny().embedDim(), 1L, scope);
            NDArray pixels = ToyClipEvaluation.pixels(samples.stream().map(Sample::image).toList(), scope);
            try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                NDArray embedding = ToyClipEvaluation.unit(trainer.model().encodeImage(ClipImages.normalize(pixels)));
                collector.backward(readout.loss(embedding, samples.stream().map(Sample::scene).toList(), scope));
            }
            Map<String, NDArray> p = trainer.model().parameters();
            assertThat(absSum(p.get("visual.conv1.weight"))).isGreaterThan(0);
            assertThat(absSum(p.get("visual.proj"))).isGreaterThan(0);
            assertThat(absSum(p.get("token_embedding.weight"))).isZero();
            assertThat(absSum(p.get("text_projection"))).isZero();
            assertThat(absSum(readout.parameters().get("readout.weight"))).isGreaterThan(0);
        }
    }

    private static double absSum(NDArray parameter) {
        return parameter.getGradient().abs().sum().getFloat();
    }

    @Test
    void a_few_training_steps_lower_the_readout_loss_on_unseen_scenes() {
        ToyClipSettings settings = ToyClipSettings.tiny().withSteps(25).withReadoutWeight(1.0);
        try (ToyClipTrainer trainer = new ToyClipTrainer(settings, ToyVocabulary.worldMerges(), TORCH.manager())) {
            List<Sample> probe = new ToyWorld().samples(4242L, 32);
            double before = trainer.readoutLoss(probe);
            for (int i = 0; i < settings.steps(); i++) {
                trainer.step();
            }
            assertThat(trainer.readoutLoss(probe)).isLessThan(before - 0.5);
        }
    }

    @Test
    void the_weight_must_be_between_0_and_100() {
        assertThatThrownBy(() -> ToyClipSettings.tiny().withReadoutWeight(-1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> ToyClipSettings.tiny().withReadoutWeight(Double.NaN)).isInstanceOf(InvalidInputException.class);
    }

}
