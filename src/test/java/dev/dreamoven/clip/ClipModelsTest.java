package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.testing.SharedFixtures;
import dev.dreamoven.testing.Torch;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClipModelsTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    @Test
    void fileCheckpointWithVocabularyEmbedsTheGoldenCaptions() {
        Golden golden = Golden.fp32();
        try (LoadedClip clip = ClipModels.open(SharedFixtures.require("clip-golden/tiny-clip.pt").toString(),
                Optional.of(SharedFixtures.require("clip-golden/bpe_simple_vocab_16e6.txt.gz")), TORCH.manager())) {
            assertThat(clip.model().id()).isEqualTo("tiny-clip");
            assertThat(clip.tokenizer().contextLength()).isEqualTo(77);

            float[][] text = clip.embedTexts(golden.captions());
            float[][] image = clip.embedImages(Golden.floats("images.f32"), 2);

            assertThat(Golden.maxAbsDiff(text, golden.textEmbeddings())).isLessThan(1e-5f);
            assertThat(Golden.maxAbsDiff(image, golden.imageEmbeddings())).isLessThan(1e-5f);
        }
    }

    @Test
    void fileCheckpointWithoutVocabularyIsRefused() {
        assertThatThrownBy(() -> ClipModels.open(SharedFixtures.require("clip-golden/tiny-clip.pt").toString(),
                Optional.empty(), TORCH.manager()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("vocabulary");
    }

    @Test
    void vocabularyOfTheWrongSizeIsRefused() throws Exception {
        java.nio.file.Path toy = java.nio.file.Files.createTempFile("toy", ".txt");
        try {
            java.nio.file.Files.writeString(toy, "#version: 0.2\na b\n");
            assertThatThrownBy(() -> ClipModels.open(SharedFixtures.require("clip-golden/tiny-clip.safetensors").toString(),
                    Optional.of(toy), TORCH.manager()))
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining("515 tokens")
                    .hasMessageContaining("49408");
        } finally {
            java.nio.file.Files.delete(toy);
        }
    }

    @Test
    void theShippedModelsIdNamesItsWeightsSoThatRetrainingOrphansOldBakedPaths() {
        if (ClipModels.shippedModelPresent()) {
            try (LoadedClip shapes = ClipModels.open("shapes", Optional.empty(), TORCH.manager())) {
                assertThat(shapes.model().id()).matches("shapes-[0-9a-f]{8}");
                assertThat(shapes.tokenizer().vocabSize()).isEqualTo(shapes.model().config().vocabSize());
            }
        } else {
            assertThatThrownBy(() -> ClipModels.open("shapes", Optional.empty(), TORCH.manager()))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("the shipped model 'shapes' is not in this build");
        }
    }

    @Test
    void theWeightsVersionReadsTheTensorsNotTheHeaderSoMetadataEditsKeepBakedPaths() {
        byte[] header = "{\"__metadata__\":{\"palette\":\"#000000\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] other = "{\"__metadata__\":{}}      ".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] weights = {1, 2, 3, 4};
        assertThat(ClipModels.weightsHash(safetensors(header, weights)))
                .isEqualTo(ClipModels.weightsHash(safetensors(other, weights)))
                .isNotEqualTo(ClipModels.weightsHash(safetensors(header, new byte[] {1, 2, 3, 5})));
    }

    @Test
    void theShippedBakedPathsBelongToTheShippedWeights() throws Exception {
        org.assertj.core.api.Assumptions.assumeThat(ClipModels.shippedModelPresent()).isTrue();
        try (LoadedClip shapes = ClipModels.open("shapes", Optional.empty(), TORCH.manager());
                java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of("baked"))) {
            java.util.List<java.nio.file.Path> baked = files.filter(f -> f.toString().endsWith(".bake.safetensors")).toList();
            assertThat(baked).isNotEmpty();
            for (java.nio.file.Path f : baked) {
                assertThat(Safetensors.read(f).metadata()).as(f.toString()).containsEntry("model_id", shapes.model().id());
            }
        }
    }

    private static byte[] safetensors(byte[] header, byte[] data) {
        return java.nio.ByteBuffer.allocate(8 + header.length + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    @Test
    void normalizationUsesOpenAisMeanAndStdAndInverts() {
        try (NDManager m = TORCH.manager().newSubManager()) {
            NDArray rgb = m.create(new float[] {0.48145466f, 0.4578275f, 0.40821073f, 1f, 0f, 0.5f}, new Shape(2, 3, 1, 1));
            NDArray normalized = ClipImages.normalize(rgb);
            float[] v = normalized.toFloatArray();
            assertThat(v[0]).isCloseTo(0f, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(v[2]).isCloseTo(0f, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(v[3]).isCloseTo((1f - 0.48145466f) / 0.26862954f, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(v[4]).isCloseTo(-0.4578275f / 0.26130258f, org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(ClipImages.denormalize(normalized).toFloatArray())
                    .containsExactly(rgb.toFloatArray(), org.assertj.core.data.Offset.offset(1e-6f));
            assertThat(normalized.getManager()).isSameAs(m);
        }
    }
}
