package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.testing.CheckpointServer;
import dev.dreamoven.testing.SharedFixtures;
import dev.dreamoven.testing.Torch;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models by name: the tiny golden checkpoints stand in for OpenAI's, served by a local server at
 * {@code <base>/<sha256>/<file>} with the BPE vocabulary, and open as the files do; a comma list
 * opens as an ensemble.
 */
class NamedModelsTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    @TempDir
    Path cache;

    private CheckpointServer server;
    private NamedModels named;

    @BeforeEach
    void serveTheTinyCheckpoints() throws Exception {
        Path vit = SharedFixtures.require("clip-golden/tiny-clip.pt");
        Path rn = SharedFixtures.require("clip-golden-rn/tiny-rn-clip.pt");
        Path vocab = SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz");
        String vitSha = Downloads.sha256(vit);
        String rnSha = Downloads.sha256(rn);
        server = new CheckpointServer().serve(vitSha + "/tiny-clip.pt", vit).serve(rnSha + "/tiny-rn-clip.pt", rn)
                .serve("openai/CLIP/main/clip/bpe_simple_vocab_16e6.txt.gz", vocab);
        ModelCatalog catalog = ModelCatalog.openAi()
                .with(new ModelCatalog.Entry("tiny-ViT", vitSha, "tiny-clip.pt", 32, 0))
                .with(new ModelCatalog.Entry("tiny-RN", rnSha, "tiny-rn-clip.pt", 64, 0));
        named = new NamedModels(catalog, server.baseUrl(),
                server.baseUrl().resolve("openai/CLIP/main/clip/bpe_simple_vocab_16e6.txt.gz"), cache,
                new Downloads(null));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theCatalogHoldsOpenAisReleasedModelsWithTheirAddresses() {
        ModelCatalog openAi = ModelCatalog.openAi();

        assertThat(openAi.names()).containsExactly("RN50", "RN101", "RN50x4", "RN50x16", "RN50x64", "ViT-B/32",
                "ViT-B/16", "ViT-L/14", "ViT-L/14@336px");
        assertThat(openAi.find("vit-b/32").orElseThrow().url(ModelCatalog.OPENAI_BASE_URL)).hasToString(
                "https://openaipublic.azureedge.net/clip/models/"
                        + "40d365715913c9da98579312b702a82c18be219cc2a73407c4526f58eba950af/ViT-B-32.pt");
        assertThat(openAi.find("ViT-L/14@336px").orElseThrow().inputSize()).isEqualTo(336);
    }

    /** A bot checks prompt lengths with OpenAI's vocabulary alone: no checkpoint is downloaded or loaded. */
    @Test
    void openAisModelsHaveTheirPromptTokenizerWithoutTheirWeights() {
        ClipTokenizer t = ClipModels.promptTokenizer("ViT-B/32,RN50:0.5", Optional.empty(), named).orElseThrow();
        assertThat(t.encode("a red circle", false)).isNotEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.encode("red ".repeat(80), false))
                .isInstanceOf(PromptTooLongException.class).hasMessageContaining("77");
        try (var files = java.nio.file.Files.list(cache)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("the vocabulary (and its lock), no checkpoint")
                    .allMatch(name -> name.startsWith("bpe_simple_vocab_16e6.txt.gz")).isNotEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(ClipModels.promptTokenizer("shapes", Optional.empty(), named)).as("only the model knows").isEmpty();
        assertThat(ClipModels.promptTokenizer("tiny-ViT", Optional.empty(), named)).as("not OpenAI's").isEmpty();
    }

    @Test
    void aNameIsDownloadedWithTheVocabularyAndEmbedsLikeTheFile() {
        Golden golden = Golden.fp32();
        try (LoadedClip clip = ClipModels.open("tiny-ViT", Optional.empty(), named, TORCH.manager())) {
            assertThat(clip.model().id()).isEqualTo("tiny-clip");
            assertThat(Golden.maxAbsDiff(clip.embedTexts(golden.captions()), golden.textEmbeddings()))
                    .isLessThan(1e-5f);
        }
        assertThat(cache.resolve("tiny-clip.pt")).exists();
        assertThat(cache.resolve("bpe_simple_vocab_16e6.txt.gz")).exists();
    }

    @Test
    void aCommaListOpensAnEnsembleNamingEveryModelWithItsWeight() {
        try (LoadedClip clip = ClipModels.open("tiny-ViT,tiny-RN:0.5", Optional.empty(), named, TORCH.manager())) {
            ClipEnsemble ensemble = (ClipEnsemble) clip.model();

            assertThat(ensemble.id()).isEqualTo("tiny-clip+tiny-rn-clip:0.5");
            assertThat(ensemble.members()).extracting(m -> m.model().id()).containsExactly("tiny-clip",
                    "tiny-rn-clip");
            assertThat(ensemble.members()).extracting(ClipEnsemble.Member::weight)
                    .containsExactly(2 / 3.0, 1 / 3.0);
            assertThat(ensemble.members()).extracting(m -> m.model().imageResolution()).containsExactly(32, 64);
            assertThat(ensemble.imageResolution()).isEqualTo(64);
            assertThat(ensemble.embedDim()).isEqualTo(64); // 32 + 32
        }
    }

    @Test
    void theEnsembleCosineIsTheWeightedMeanOfTheMembersCosines() {
        List<String> texts = List.of("a red circle", "a blue square");
        Optional<Path> vocab = Optional.of(SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz"));
        try (LoadedClip ensemble = ClipModels.open("tiny-ViT,tiny-RN:0.5", vocab, named, TORCH.manager());
                LoadedClip vit = ClipModels.open("tiny-ViT", vocab, named, TORCH.manager());
                LoadedClip rn = ClipModels.open("tiny-RN", vocab, named, TORCH.manager())) {
            float[][] e = ensemble.embedTexts(texts);
            float[][] v = vit.embedTexts(texts);
            float[][] r = rn.embedTexts(texts);

            assertThat(cosine(e[0], e[1])).isCloseTo(2 / 3.0 * cosine(v[0], v[1]) + 1 / 3.0 * cosine(r[0], r[1]),
                    Offset.offset(1e-5));
        }
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> ClipModels.open("ViT-Q/99", Optional.empty(), named, TORCH.manager()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("unknown model 'ViT-Q/99': use shapes, RN50, RN101")
                .hasMessageContaining("ViT-L/14@336px");
    }

    @Test
    void theShippedModelCannotJoinAnEnsemble() {
        assertThatThrownBy(() -> ClipModels.open("shapes,tiny-RN", Optional.empty(), named, TORCH.manager()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("cannot guide together with other models");
    }

    @Test
    void weightsAreParsedAfterTheLastColon() {
        assertThat(ModelSpec.parse("ViT-B/32, RN50:0.5 ,ViT-L/14@336px:2").parts()).containsExactly(
                new ModelSpec.Part("ViT-B/32", 1), new ModelSpec.Part("RN50", 0.5),
                new ModelSpec.Part("ViT-L/14@336px", 2));
        assertThatThrownBy(() -> ModelSpec.parse("RN50:0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> ModelSpec.parse("RN50,rn50")).hasMessageContaining("named twice");
        assertThatThrownBy(() -> ModelSpec.parse("RN50,")).hasMessageContaining("empty entry");
    }

    @Test
    void theResizeFilterWidensWhenShrinkingSoEveryPixelCounts() {
        float[] half = ClipEnsemble.linearFilter(4, 2); // a triangle two source pixels wide, as PIL's bilinear

        assertThat(half).containsExactly(new float[] {3 / 7f, 3 / 7f, 1 / 7f, 0, 0, 1 / 7f, 3 / 7f, 3 / 7f},
                Offset.offset(1e-6f));
        float[] same = ClipEnsemble.linearFilter(3, 3);
        assertThat(same).containsExactly(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Offset.offset(1e-6f));
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
