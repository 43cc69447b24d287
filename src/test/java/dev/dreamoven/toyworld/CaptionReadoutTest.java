package dev.dreamoven.toyworld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.dreamoven.testing.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CaptionReadoutTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    /** The output columns set to 1 for {@code caption}, as "group:class" labels. */
    private static List<String> named(String caption) {
        float[] t = CaptionReadout.targets(List.of(caption));
        String[] groups = {"colour1", "kind1", "size1", "position1", "colour2", "kind2", "size2", "position2",
                "relation", "background"};
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int g = 0; g < groups.length; g++) {
            for (int k = 0; k < CaptionReadout.GROUPS[g]; k++) {
                if (t[from + k] == 1f) {
                    out.add(groups[g] + ":" + k);
                }
            }
            from += CaptionReadout.GROUPS[g];
        }
        return out;
    }

    @Test
    void a_short_caption_asks_only_what_it_names() {
        assertThat(named("a small red square at the top")).containsExactly(
                "colour1:" + ToyColour.RED.ordinal(), "kind1:" + ShapeKind.SQUARE.ordinal(),
                "size1:" + ShapeSize.SMALL.ordinal(), "position1:" + Position.TOP.ordinal());
        assertThat(named("a circle")).containsExactly("kind1:" + ShapeKind.CIRCLE.ordinal());
    }

    @Test
    void a_relation_caption_fills_both_slots_in_the_captions_order_and_the_relation() {
        assertThat(named("a red circle left of a blue square on a black background")).containsExactly(
                "colour1:" + ToyColour.RED.ordinal(), "kind1:" + ShapeKind.CIRCLE.ordinal(),
                "colour2:" + ToyColour.BLUE.ordinal(), "kind2:" + ShapeKind.SQUARE.ordinal(),
                "relation:" + Relation.LEFT_OF.ordinal(), "background:" + ToyColour.BLACK.ordinal());
    }

    @Test
    void a_caption_outside_the_world_is_refused() {
        assertThatThrownBy(() -> CaptionReadout.targets(List.of("a dinosaur eating waffles")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dinosaur");
    }

    @Test
    void with_every_output_zero_the_loss_is_a_uniform_guess_per_named_attribute() {
        try (NDManager scope = TORCH.manager().newSubManager()) {
            CaptionReadout readout = new CaptionReadout(16, 1L, scope);
            NDArray zeros = scope.zeros(new Shape(2, 16));
            double loss = readout.loss(zeros, List.of("a small red square at the top", "a circle"), scope).getFloat();
            double first = Math.log(8) + Math.log(4) + Math.log(2) + Math.log(5);
            double second = Math.log(4);
            assertThat(loss).isCloseTo((first + second) / 2, within(1e-5));
        }
    }

    @Test
    void its_gradient_reaches_the_text_tower_and_never_the_image_tower() {
        try (ToyClipTrainer trainer = new ToyClipTrainer(ToyClipSettings.tiny(), ToyVocabulary.worldMerges(), TORCH.manager());
                NDManager scope = TORCH.manager().newSubManager()) {
            List<String> captions = List.of("a red circle on the left", "a blue square above a green cross");
            CaptionReadout readout = new CaptionReadout(ToyClipSettings.tiny().embedDim(), 1L, scope);
            NDArray tokens = ToyClipEvaluation.tokens(trainer.tokenizer(), captions, scope);
            try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                NDArray embedding = ToyClipEvaluation.unit(trainer.model().encodeText(tokens));
                collector.backward(readout.loss(embedding, captions, scope));
            }
            Map<String, NDArray> p = trainer.model().parameters();
            assertThat(absSum(p.get("token_embedding.weight"))).isGreaterThan(0);
            assertThat(absSum(p.get("text_projection"))).isGreaterThan(0);
            assertThat(absSum(p.get("visual.conv1.weight"))).isZero();
            assertThat(absSum(p.get("visual.proj"))).isZero();
        }
    }

    private static double absSum(NDArray parameter) {
        return parameter.getGradient().abs().sum().getFloat();
    }
}
