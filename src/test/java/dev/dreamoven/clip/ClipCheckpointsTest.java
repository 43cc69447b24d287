package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.testing.SharedFixtures;
import dev.dreamoven.testing.Torch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ClipCheckpointsTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    @TempDir
    Path tmp;

    @Test
    void modelIdIsTheFileNameOrTheMetadataName() throws Exception {
        Path st = SharedFixtures.require("clip-golden/tiny-clip.safetensors");
        try (OpenAiClip fromFile = ClipCheckpoints.load(st, TORCH.manager())) {
            assertThat(fromFile.id()).isEqualTo("tiny-clip");
            assertThat(fromFile.config().visionWidth()).isEqualTo(128);
        }
        try (OpenAiClip fromPt = ClipCheckpoints.load(SharedFixtures.require("clip-golden/tiny-clip-fp16.pt"), TORCH.manager())) {
            assertThat(fromPt.id()).isEqualTo("tiny-clip-fp16");
        }
        Safetensors.Contents contents = Safetensors.read(st);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, contents.tensors(), Map.of("model_id", "shapes-v1"));
        try (OpenAiClip named = ClipCheckpoints.loadSafetensors(new ByteArrayInputStream(out.toByteArray()), "x", TORCH.manager())) {
            assertThat(named.id()).isEqualTo("shapes-v1");
        }
    }

    @Test
    void missingFileIsAClearInvalidInput() {
        assertThatThrownBy(() -> ClipCheckpoints.load(tmp.resolve("ViT-B-32.pt"), TORCH.manager()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
    }

    @Test
    void textFileIsNotACheckpoint() throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.safetensors"), "just some words, no tensors here");
        assertThatThrownBy(() -> ClipCheckpoints.load(notes, TORCH.manager()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is neither a TorchScript archive")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void truncatedCheckpointsAreClearInvalidInput() throws Exception {
        for (String name : new String[] {"tiny-clip.pt", "tiny-clip.safetensors"}) {
            byte[] full = Files.readAllBytes(SharedFixtures.require("clip-golden/" + name));
            Path cut = Files.write(tmp.resolve("cut-" + name), Arrays.copyOf(full, full.length / 2));
            assertThatThrownBy(() -> ClipCheckpoints.load(cut, TORCH.manager())).as(name)
                    .isInstanceOf(InvalidInputException.class).hasMessageContaining(cut.toString())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void safetensorsWithOtherKeysNamesTheMissingKey() throws Exception {
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("fc.weight", new Safetensors.Tensor(new long[] {2, 2}, new float[4]));
        Path other = tmp.resolve("resnet.safetensors");
        try (var out = Files.newOutputStream(other)) {
            Safetensors.write(out, tensors, Map.of());
        }
        assertThatThrownBy(() -> ClipCheckpoints.load(other, TORCH.manager()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'visual.conv1.weight'");
    }

    @Test
    void wrongShapeIsNamed() throws Exception {
        Safetensors.Contents contents = Safetensors.read(SharedFixtures.require("clip-golden/tiny-clip.safetensors"));
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>(contents.tensors());
        tensors.put("visual.ln_post.bias", new Safetensors.Tensor(new long[] {3}, new float[3]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, tensors, Map.of());
        assertThatThrownBy(() -> ClipCheckpoints.loadSafetensors(new ByteArrayInputStream(out.toByteArray()), "x", TORCH.manager()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'visual.ln_post.bias'")
                .hasMessageContaining("(3)");
    }

    @Test
    void everythingAStepAllocatesLivesInTheInputsManager() throws Exception {
        Golden golden = Golden.fp32();
        try (OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require("clip-golden/tiny-clip.safetensors"), TORCH.manager())) {
            NDManager weights = clip.parameters().get("visual.proj").getManager();
            int before = resources(weights);
            for (int i = 0; i < 3; i++) {
                try (NDManager step = TORCH.manager().newSubManager()) {
                    NDArray image = clip.encodeImage(Golden.images(step));
                    NDArray text = clip.encodeText(Golden.tokenArray(step, golden.tokens()));
                    assertThat(image.getManager()).isSameAs(step);
                    assertThat(text.getManager()).isSameAs(step);
                }
            }
            assertThat(resources(weights)).isEqualTo(before);
        }
    }

    @SuppressWarnings("unchecked")
    private static int resources(NDManager m) throws Exception {
        var field = BaseNDManager.class.getDeclaredField("resources");
        field.setAccessible(true);
        return ((Map<String, ?>) field.get(m)).size();
    }
}
