package dev.dreamoven.toyworld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.InvalidInputException;
import dev.dreamoven.image.RgbImage;
import dev.dreamoven.testing.Torch;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CopyNegativesTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    @Test
    void a_crowded_picture_keeps_the_background_and_repeats_one_of_its_shapes() {
        ToyWorld world = new ToyWorld();
        ToyJudge judge = new ToyJudge();
        Random random = new Random(5);
        int more = 0;
        int scenes = 60;
        for (int i = 0; i < scenes; i++) {
            Scene scene = world.scene(random);
            ToyJudge.Analysis clean = judge.analyse(world.render(scene));
            ToyJudge.Analysis crowded = judge.analyse(world.crowded(scene, random));
            assertThat(crowded.background()).isEqualTo(scene.background());
            assertThat(crowded.components().stream().map(ToyJudge.Component::colour).distinct())
                    .as("no colour the scene does not have")
                    .allMatch(c -> scene.shapes().stream().anyMatch(s -> s.colour() == c));
            if (crowded.components().size() > clean.components().size()) {
                more++;
            }
        }
        // A copy can land on its original and merge with it; most do not.
        assertThat(more).isGreaterThan(scenes * 3 / 4);
    }

    @Test
    void crowding_is_a_pure_function_of_the_scene_and_the_random_draws() {
        ToyWorld world = new ToyWorld();
        Scene scene = world.scene(new Random(1));
        RgbImage a = world.crowded(scene, new Random(2));
        assertThat(world.crowded(scene, new Random(2))).isEqualTo(a);
        assertThat(a).isNotEqualTo(world.render(scene));
    }

    @Test
    void the_trainer_adds_the_asked_number_of_crowded_pictures_the_same_at_the_same_step() {
        ToyClipSettings settings = ToyClipSettings.tiny().withCopyNegatives(5);
        try (ToyClipTrainer trainer = new ToyClipTrainer(settings, ToyVocabulary.worldMerges(), TORCH.manager());
                NDManager scope = TORCH.manager().newSubManager()) {
            NDArray first = trainer.crowdedPixels(trainer.batch(0), scope);
            assertThat(first.getShape().getShape()).containsExactly(5, 3, ToyWorld.SIDE, ToyWorld.SIDE);
            assertThat(trainer.crowdedPixels(trainer.batch(0), scope).toFloatArray()).isEqualTo(first.toFloatArray());
        }
    }

    @Test
    void training_with_copy_negatives_is_reproducible_and_differs_from_plain_training() {
        ToyClipSettings plain = ToyClipSettings.tiny().withSteps(3);
        float[] first = weightsAfter(plain.withCopyNegatives(4));
        assertThat(weightsAfter(plain.withCopyNegatives(4))).isEqualTo(first);
        assertThat(weightsAfter(plain)).isNotEqualTo(first);
    }

    @Test
    void more_copy_negatives_than_the_batch_holds_are_refused() {
        ToyClipSettings tiny = ToyClipSettings.tiny();
        assertThatThrownBy(() -> tiny.withCopyNegatives(tiny.batch() + 1)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("copy negatives");
        assertThatThrownBy(() -> tiny.withCopyNegatives(-1)).isInstanceOf(InvalidInputException.class);
    }

    private static float[] weightsAfter(ToyClipSettings settings) {
        try (ToyClipTrainer trainer = new ToyClipTrainer(settings, ToyVocabulary.worldMerges(), TORCH.manager())) {
            for (int i = 0; i < settings.steps(); i++) {
                trainer.step();
            }
            return trainer.model().parameters().get("visual.proj").toFloatArray();
        }
    }
}
