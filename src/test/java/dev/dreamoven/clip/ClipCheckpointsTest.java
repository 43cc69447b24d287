package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.InvalidInputException;
import dev.dreamoven.testing.SharedFixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipCheckpointsTest {

    private static NDManager base;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startTorch() {
        TorchRuntime.start(0, 1);
        base = NDManager.newBaseManager("PyTorch");
    }

    @AfterAll
    static void close() {
        base.close();
    }

    @Test
    void modelIdIsTheFileNameOrTheMetadataName() throws Exception {
        Path st = SharedFixtures.require("clip-golden/tiny-clip.safetensors");
        try (OpenAiClip fromFile = ClipCheckpoints.load(st, base)) {
            assertThat(fromFile.id()).isEqualTo("tiny-clip");
            assertThat(fromFile.config().visionWidth()).isEqualTo(128);
        }
        try (OpenAiClip fromPt = ClipCheckpoints.load(SharedFixtures.require("clip-golden/tiny-clip-fp16.pt"), base)) {
            assertThat(fromPt.id()).isEqualTo("tiny-clip-fp16");
        }
        Safetensors.Contents contents = Safetensors.read(st);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, contents.tensors(), Map.of("model_id", "shapes-v1"));
        try (OpenAiClip named = ClipCheckpoints.loadSafetensors(new ByteArrayInputStream(out.toByteArray()), "x", base)) {
            assertThat(named.id()).isEqualTo("shapes-v1");
        }
    }

    @Test
    void missingFileIsAClearInvalidInput() {
        assertThatThrownBy(() -> ClipCheckpoints.load(tmp.resolve("ViT-B-32.pt"), base))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("does not exist");
    }

    @Test
    void textFileIsNotACheckpoint() throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.safetensors"), "just some words, no tensors here");
        assertThatThrownBy(() -> ClipCheckpoints.load(notes, base))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a CLIP checkpoint")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void truncatedCheckpointsAreClearInvalidInput() throws Exception {
        for (String name : new String[] {"tiny-clip.pt", "tiny-clip.safetensors"}) {
            byte[] full = Files.readAllBytes(SharedFixtures.require("clip-golden/" + name));
            Path cut = Files.write(tmp.resolve("cut-" + name), Arrays.copyOf(full, full.length / 2));
            assertThatThrownBy(() -> ClipCheckpoints.load(cut, base)).as(name)
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
        assertThatThrownBy(() -> ClipCheckpoints.load(other, base))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'visual.conv1.weight'");
    }

    @Test
    void wrongShapeIsNamed() throws Exception {
        Safetensors.Contents contents = Safetensors.read(SharedFixtures.require("clip-golden/tiny-clip.safetensors"));
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>(contents.tensors());
        tensors.put("visual.ln_post.bias", new Safetensors.Tensor(new long[] {3}, new float[3]));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Safetensors.write(out, tensors, Map.of());
        assertThatThrownBy(() -> ClipCheckpoints.loadSafetensors(new ByteArrayInputStream(out.toByteArray()), "x", base))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("'visual.ln_post.bias'")
                .hasMessageContaining("(3)");
    }

    @Test
    void everythingAStepAllocatesLivesInTheInputsManager() throws Exception {
        Golden golden = Golden.fp32();
        try (OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require("clip-golden/tiny-clip.safetensors"), base)) {
            NDManager weights = clip.parameters().get("visual.proj").getManager();
            int before = resources(weights);
            for (int i = 0; i < 3; i++) {
                try (NDManager step = base.newSubManager()) {
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
