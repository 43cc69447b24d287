package dev.dreamoven.dream;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.clip.ClipEnsemble;
import dev.dreamoven.clip.ClipModel;
import dev.dreamoven.clip.ClipModels;
import dev.dreamoven.clip.ClipTokenizer;
import dev.dreamoven.clip.LoadedClip;
import dev.dreamoven.testing.DelegatingClip;
import dev.dreamoven.testing.SharedFixtures;
import dev.dreamoven.testing.Torch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dream guided by the tiny ViT (32 px) and the tiny ResNet (64 px) together: each model sees its
 * own views at its own resolution, every step, and the step embeddings live in the ensemble's space.
 */
class EnsembleDreamTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    /** Records the side of every batch of views the model is shown. */
    private static final class Watched extends DelegatingClip {
        final List<long[]> shapes = new ArrayList<>();

        Watched(ClipModel model) {
            super(model);
        }

        @Override
        public NDArray encodeImage(NDArray pixels) {
            shapes.add(pixels.getShape().getShape());
            return model.encodeImage(pixels);
        }
    }

    @Test
    void eachModelSeesItsOwnViewsAtItsOwnResolutionAndTheStepsEmbedInTheEnsembleSpace() {
        Optional<Path> vocab = Optional.of(SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz"));
        try (LoadedClip vit = ClipModels.open(SharedFixtures.require("clip-golden/tiny-clip.pt").toString(), vocab,
                TORCH.manager());
                LoadedClip rn = ClipModels.open(SharedFixtures.require("clip-golden-rn/tiny-rn-clip.pt").toString(),
                        vocab, TORCH.manager())) {
            Watched watchedVit = new Watched(vit.model());
            Watched watchedRn = new Watched(rn.model());
            ClipEnsemble ensemble = new ClipEnsemble(List.of(watchedVit, watchedRn), List.of(1.0, 0.5));
            LoadedClip both = new LoadedClip(ensemble, ClipTokenizer.load(vocab.get()).withContextLength(77));
            float[][] texts = both.embedTexts(List.of("a big red circle on a blue background", "a green square"));
            watchedVit.shapes.clear();
            watchedRn.shapes.clear();
            DreamSettings settings = DreamSettings.preset("pixels-draft").toBuilder().size(32).steps(3).build();

            DreamResult out = new Dreamer(ensemble).dream(
                    GuidePlan.single(PromptTargets.of(texts[0], List.of(texts[1]), 0.3), 3), settings, 7, null);

            int views = settings.views().cutouts() + (settings.views().wholeView() ? 1 : 0);
            // 3 steps of views each, then the final similarity of the whole picture (one view, resized)
            assertThat(watchedVit.shapes).hasSize(4);
            assertThat(watchedVit.shapes.subList(0, 3)).allSatisfy(s -> assertThat(s).containsExactly(views, 3, 32, 32));
            assertThat(watchedRn.shapes.subList(0, 3)).allSatisfy(s -> assertThat(s).containsExactly(views, 3, 64, 64));
            assertThat(java.util.Arrays.asList(out.imageEmbeddingPerStep())).hasSize(3).allSatisfy(e -> {
                assertThat(e).hasSize(64);
                // each part is a mean of unit vectors scaled by √w: no longer than √w
                assertThat(norm(e, 0, 32)).isBetween(0.0, Math.sqrt(2 / 3.0) + 1e-5);
                assertThat(norm(e, 32, 64)).isBetween(0.0, Math.sqrt(1 / 3.0) + 1e-5);
            });
            assertThat(out.image().width()).isEqualTo(32);
        }
    }

    private static double norm(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i] * v[i];
        }
        return Math.sqrt(s);
    }
}
