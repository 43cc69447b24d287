package dev.dreamoven.toyworld;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.InvalidInputException;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.image.RgbImage;
import dev.dreamoven.testing.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DreamNegativePoolTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    private static ToyClipSettings withPool(int pool, int stepsPerStep, int lifetime) {
        return ToyClipSettings.tiny().withDreamNegatives(new ToyClipSettings.DreamNegatives(pool, stepsPerStep, lifetime));
    }

    @Test
    void pool_pictures_climb_toward_their_captions_and_leave_the_weights_gradients_alone() {
        try (ToyClipTrainer trainer = new ToyClipTrainer(withPool(4, 1, 100), ToyVocabulary.worldMerges(), TORCH.manager())) {
            DreamNegativePool pool = new DreamNegativePool(new ToyClipSettings.DreamNegatives(4, 1, 100), 3L,
                    new ToyWorld());
            pool.advance(0, trainer.model(), trainer.tokenizer(), TORCH.manager());
            double before = meanCosine(trainer, pool);
            for (int step = 1; step <= 10; step++) {
                pool.advance(step, trainer.model(), trainer.tokenizer(), TORCH.manager());
            }
            assertThat(meanCosine(trainer, pool)).isGreaterThan(before + 0.01);
            for (NDArray p : trainer.model().parameters().values()) {
                assertThat(p.hasGradient()).isTrue();
                assertThat(p.getGradient().abs().sum().getFloat()).as("no gradient leaks into the weights").isZero();
            }
        }
    }

    @Test
    void the_dream_loop_source_adds_one_real_draft_dream_every_few_steps_replacing_the_oldest() {
        ToyClipSettings.DreamNegatives loop = new ToyClipSettings.DreamNegatives(2, 0, 3,
                ToyClipSettings.DreamNegatives.Source.DREAM_LOOP);
        try (ToyClipTrainer trainer = new ToyClipTrainer(ToyClipSettings.tiny().withDreamNegatives(loop),
                ToyVocabulary.worldMerges(), TORCH.manager())) {
            DreamNegativePool pool = new DreamNegativePool(loop, 3L, new ToyWorld());
            pool.advance(0, trainer.model(), trainer.tokenizer(), TORCH.manager());
            assertThat(pool.caption(0)).isNotNull();
            assertThat(pool.caption(1)).as("nothing dreamt into the second slot yet").isNull();
            RgbImage first = pool.picture(0);
            assertThat(first.data()).as("a dream, not the empty slot").isNotEqualTo(new float[first.data().length]);
            try (NDManager scope = TORCH.manager().newSubManager()) {
                assertThat(pool.negatives(scope).map(n -> n.getShape().get(0)).orElse(0L)).isLessThanOrEqualTo(1L);
            }
            pool.advance(1, trainer.model(), trainer.tokenizer(), TORCH.manager());
            pool.advance(2, trainer.model(), trainer.tokenizer(), TORCH.manager());
            assertThat(pool.caption(1)).isNull();
            pool.advance(3, trainer.model(), trainer.tokenizer(), TORCH.manager());
            assertThat(pool.caption(1)).isNotNull();
            pool.advance(6, trainer.model(), trainer.tokenizer(), TORCH.manager());
            assertThat(pool.picture(0).data()).as("the oldest was replaced").isNotEqualTo(first.data());
            for (NDArray p : trainer.model().parameters().values()) {
                assertThat(p.getGradient().abs().sum().getFloat()).as("no gradient leaks into the weights").isZero();
            }
        }
    }

    @Test
    void expired_pictures_restart_from_noise_with_a_new_caption_at_staggered_times() {
        try (ToyClipTrainer trainer = new ToyClipTrainer(withPool(4, 1, 4), ToyVocabulary.worldMerges(), TORCH.manager())) {
            DreamNegativePool pool = new DreamNegativePool(new ToyClipSettings.DreamNegatives(4, 1, 4), 3L, new ToyWorld());
            pool.advance(0, trainer.model(), trainer.tokenizer(), TORCH.manager());
            List<String> first = captions(pool);
            pool.advance(1, trainer.model(), trainer.tokenizer(), TORCH.manager());
            // ages start at 0, 1, 2, 3 of a lifetime of 4: one step later only the oldest has restarted
            List<String> later = captions(pool);
            assertThat(later.subList(0, 3)).isEqualTo(first.subList(0, 3));
            assertThat(later.get(3)).isNotEqualTo(first.get(3));
            pool.advance(2, trainer.model(), trainer.tokenizer(), TORCH.manager());
            assertThat(captions(pool).get(2)).isNotEqualTo(first.get(2));
            assertThat(captions(pool).subList(0, 2)).isEqualTo(first.subList(0, 2));
        }
    }

    @Test
    void a_picture_the_judge_accepts_for_its_caption_is_not_used_as_a_negative() {
        ToyWorld world = new ToyWorld();
        Random random = new Random(1);
        Scene scene = world.scene(random);
        RgbImage truth = world.render(scene);
        DreamNegativePool pool = new DreamNegativePool(new ToyClipSettings.DreamNegatives(2, 1, 10), 3L, world);
        pool.put(0, truth, ToyClipEvaluation.fullCaption(scene));
        pool.put(1, new RgbImage(ToyWorld.SIDE, ToyWorld.SIDE, new float[3 * ToyWorld.SIDE * ToyWorld.SIDE]),
                ToyClipEvaluation.fullCaption(scene));
        assertThat(pool.passes(0)).isTrue();
        assertThat(pool.passes(1)).isFalse();
        try (NDManager scope = TORCH.manager().newSubManager()) {
            NDArray negatives = pool.negatives(scope).orElseThrow();
            assertThat(negatives.getShape().getShape()).containsExactly(1, 3, ToyWorld.SIDE, ToyWorld.SIDE);
            assertThat(negatives.sum().getFloat()).isZero(); // the black picture, not the true render
        }
    }

    @Test
    void training_with_dream_negatives_is_reproducible_and_differs_from_training_without() {
        List<Double> with = losses(withPool(4, 1, 3), 4);
        assertThat(losses(withPool(4, 1, 3), 4)).isEqualTo(with);
        assertThat(with).allSatisfy(l -> assertThat(l).isFinite());
        assertThat(losses(ToyClipSettings.tiny(), 4)).isNotEqualTo(with);
    }

    @Test
    void a_pool_needs_pixel_steps_and_a_lifetime() {
        assertThatThrownBy(() -> new ToyClipSettings.DreamNegatives(4, 0, 10)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ToyClipSettings.DreamNegatives(4, 1, 0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new ToyClipSettings.DreamNegatives(-1, 1, 1)).isInstanceOf(InvalidInputException.class);
        assertThat(ToyClipSettings.DreamNegatives.NONE.enabled()).isFalse();
    }

    private static List<String> captions(DreamNegativePool pool) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
            out.add(pool.caption(i));
        }
        return out;
    }

    private static double meanCosine(ToyClipTrainer trainer, DreamNegativePool pool) {
        List<RgbImage> pictures = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
            pictures.add(pool.picture(i));
        }
        try (NDManager scope = TORCH.manager().newSubManager()) {
            NDArray image = ToyClipEvaluation.unit(trainer.model().encodeImage(
                    ClipImages.normalize(ToyClipEvaluation.pixels(pictures, scope)))); // [P, D]
            NDArray text = ToyClipEvaluation.unit(trainer.model().encodeText(
                    ToyClipEvaluation.tokens(trainer.tokenizer(), captions(pool), scope))); // [P, D]
            return image.mul(text).sum().getFloat() / pool.size();
        }
    }

    private static List<Double> losses(ToyClipSettings settings, int steps) {
        try (ToyClipTrainer trainer = new ToyClipTrainer(settings, ToyVocabulary.worldMerges(), TORCH.manager())) {
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < steps; i++) {
                out.add(trainer.step().loss());
            }
            return out;
        }
    }
}
