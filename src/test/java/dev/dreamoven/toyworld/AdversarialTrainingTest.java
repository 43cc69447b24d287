package dev.dreamoven.toyworld;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.testing.Torch;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AdversarialTrainingTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    private static final ToyClipSettings.Adversarial ATTACK = new ToyClipSettings.Adversarial(2.0, 3);

    @Test
    void the_attack_stays_within_its_ball_and_inside_the_picture_range_and_raises_the_loss() {
        ToyClipSettings settings = ToyClipSettings.tiny().withSteps(20).withAdversarial(ATTACK);
        try (ToyClipTrainer trainer = new ToyClipTrainer(settings, ToyVocabulary.worldMerges(), TORCH.manager());
                NDManager scope = TORCH.manager().newSubManager()) {
            for (int i = 0; i < 5; i++) {
                trainer.step(); // a model that has learnt something, so the loss has somewhere to climb
            }
            List<Sample> samples = trainer.batch(123);
            NDArray clean = ToyClipEvaluation.pixels(samples.stream().map(Sample::image).toList(), scope);
            NDArray attacked = trainer.adversarialPixels(samples, scope);
            float[] distances = attacked.sub(clean).square().sum(new int[] {1, 2, 3}).sqrt().toFloatArray();
            for (float d : distances) {
                assertThat(d).isGreaterThan(0.5f).isLessThanOrEqualTo((float) ATTACK.epsilon() + 1e-4f);
            }
            assertThat(attacked.min().getFloat()).isGreaterThanOrEqualTo(0f);
            assertThat(attacked.max().getFloat()).isLessThanOrEqualTo(1f);
            NDArray tokens = ToyClipEvaluation.tokens(trainer.tokenizer(), samples.stream().map(Sample::caption).toList(), scope);
            NDArray text = ToyClipEvaluation.unit(trainer.model().encodeText(tokens));
            double cleanLoss = trainer.contrastiveLoss(embed(trainer, clean), text, scope).getFloat();
            double attackedLoss = trainer.contrastiveLoss(embed(trainer, attacked), text, scope).getFloat();
            assertThat(attackedLoss).isGreaterThan(cleanLoss + 0.01);
        }
    }

    @Test
    void the_attack_leaves_no_gradient_in_the_weights_and_they_stay_trainable() {
        ToyClipSettings settings = ToyClipSettings.tiny().withAdversarial(ATTACK);
        try (ToyClipTrainer trainer = new ToyClipTrainer(settings, ToyVocabulary.worldMerges(), TORCH.manager());
                NDManager scope = TORCH.manager().newSubManager()) {
            trainer.adversarialPixels(trainer.batch(0), scope);
            for (NDArray p : trainer.model().parameters().values()) {
                assertThat(p.getGradient().abs().sum().getFloat()).as("no gradient leaks into the weights").isZero();
                assertThat(p.hasGradient()).isTrue();
            }
        }
    }

    @Test
    void adversarial_training_is_reproducible_and_differs_from_plain_training() {
        ToyClipSettings plain = ToyClipSettings.tiny().withSteps(3);
        float[] first = weightsAfter(plain.withAdversarial(ATTACK));
        assertThat(weightsAfter(plain.withAdversarial(ATTACK))).isEqualTo(first);
        assertThat(weightsAfter(plain)).isNotEqualTo(first);
    }

    private static NDArray embed(ToyClipTrainer trainer, NDArray pixels) {
        return ToyClipEvaluation.unit(trainer.model().encodeImage(ClipImages.normalize(pixels)));
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
