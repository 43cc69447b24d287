package dev.dreamoven.dream;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.testing.SharedFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** End to end on the golden tiny CLIP (real OpenAI architecture, random weights, 32 px input). */
class TinyClipDreamTest {

    @Test
    void aPromptDreamOnTheTinyClipLowersItsLossAndRaisesItsSimilarity() {
        Path checkpoint = SharedFixtures.require("clip-golden/tiny-clip.pt");
        Path vocab = SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz");
        dev.dreamoven.clip.TorchRuntime.start(1, 1);
        try (NDManager models = NDManager.newBaseManager();
                LoadedClip clip = ClipModels.open(checkpoint.toString(), Optional.of(vocab), models)) {
            Dreamer dreamer = new Dreamer(clip.model());
            float[][] texts = clip.embedTexts(List.of("a big red circle on a blue background", "a green square"));
            List<Double> losses = new ArrayList<>();
            List<Double> sims = new ArrayList<>();
            DreamListener listener = new DreamListener() {
                @Override
                public void onStep(DreamProgress p) {
                    losses.add(p.loss());
                    sims.add(p.similarity());
                }
            };
            GuidePlan plan = GuidePlan.single(PromptTargets.of(texts[0], List.of(texts[1]), 0.3), 60);
            DreamResult out = dreamer.dream(plan, DreamSettings.preset("pixels-draft").toBuilder().size(32).steps(60).build(), 7, listener);
            assertThat(losses).hasSize(60);
            double first = losses.subList(0, 5).stream().mapToDouble(d -> d).average().orElseThrow();
            double last = losses.subList(55, 60).stream().mapToDouble(d -> d).average().orElseThrow();
            assertThat(last).isLessThan(first);
            assertThat(out.similarity()).isGreaterThan(sims.get(0));
            assertThat(out.image().width()).isEqualTo(32);
        }
    }
}
