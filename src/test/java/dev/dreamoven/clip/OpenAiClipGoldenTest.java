package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.dreamoven.testing.SharedFixtures;
import dev.dreamoven.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Java CLIP reproduces the reference model's outputs on the golden tiny CLIP. */
class OpenAiClipGoldenTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    @Test
    void safetensorsCheckpointReproducesGoldenEmbeddings() {
        assertReproducesGolden(SharedFixtures.require("clip-golden/tiny-clip.safetensors"), Golden.fp32());
    }

    @Test
    void torchScriptCheckpointReproducesGoldenEmbeddings() {
        assertReproducesGolden(SharedFixtures.require("clip-golden/tiny-clip.pt"), Golden.fp32());
    }

    @Test
    void float16TorchScriptCheckpointReproducesItsGoldenEmbeddings() {
        Golden fp32 = Golden.fp32();
        Golden fp16 = Golden.fp16();
        assertReproducesGolden(SharedFixtures.require("clip-golden/tiny-clip-fp16.pt"),
                new Golden(fp16.captions(), fp32.tokens(), fp16.textEmbeddings(), fp16.imageEmbeddings(), null));
    }

    /** Faithful float32 lands near 1e-7; a QuickGELU constant off by 0.002 misses by 4e-5. */
    private static void assertReproducesGolden(java.nio.file.Path checkpoint, Golden golden) {
        try (OpenAiClip clip = ClipCheckpoints.load(checkpoint, TORCH.manager());
                NDManager step = TORCH.manager().newSubManager()) {
            float[][] text = Golden.rows(clip.encodeText(Golden.tokenArray(step, golden.tokens())));
            float[][] image = Golden.rows(clip.encodeImage(Golden.images(step)));

            assertThat(Golden.maxAbsDiff(text, golden.textEmbeddings())).isLessThan(1e-5f);
            assertThat(Golden.maxAbsDiff(image, golden.imageEmbeddings())).isLessThan(1e-5f);
        }
    }

    @Test
    void pixelGradientOfTextImageCosineMatchesGolden() {
        Golden golden = Golden.fp32();
        float[] expected = Golden.floats("grad0.f32");
        try (OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require("clip-golden/tiny-clip.safetensors"), TORCH.manager());
                NDManager step = TORCH.manager().newSubManager()) {
            NDArray image0 = Golden.images(step).get("0:1");
            image0.setRequiresGradient(true);
            NDArray tokens0 = Golden.tokenArray(step, new int[][] {golden.tokens()[0]});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = cosine(clip.encodeImage(image0), clip.encodeText(tokens0)).sum();
                gc.backward(loss);
            }
            float[] grad = image0.getGradient().toFloatArray();

            assertThat(grad).hasSize(expected.length);
            float max = 0;
            for (int i = 0; i < grad.length; i++) {
                max = Math.max(max, Math.abs(grad[i] - expected[i]));
            }
            // The brief asks 1e-6; a faithful float32 implementation lands near 1e-10 (max |grad| is 3e-4),
            // and a QuickGELU constant off by 0.002 already misses by 2e-8.
            assertThat(max).isLessThan(1e-8f);
            assertThat(clip.parameters().values()).noneMatch(NDArray::hasGradient);
        }
    }

    @Test
    void weightsStayUnchangedAndGetNoGradientAfterBackward() {
        try (OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require("clip-golden/tiny-clip.safetensors"), TORCH.manager());
                NDManager step = TORCH.manager().newSubManager()) {
            float[] before = clip.parameters().get("visual.conv1.weight").toFloatArray();
            NDArray pixels = Golden.images(step);
            pixels.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(clip.encodeImage(pixels).square().sum());
            }

            assertThat(pixels.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
            assertThat(clip.parameters().values()).noneMatch(NDArray::hasGradient);
            assertThat(clip.parameters().get("visual.conv1.weight").toFloatArray()).containsExactly(before);
        }
    }

    @Test
    void trainableWeightsReceiveGradients() {
        try (OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require("clip-golden/tiny-clip.safetensors"), TORCH.manager());
                NDManager step = TORCH.manager().newSubManager()) {
            clip.setTrainable(true);
            Golden golden = Golden.fp32();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = cosine(clip.encodeImage(Golden.images(step)),
                        clip.encodeText(Golden.tokenArray(step, new int[][] {golden.tokens()[0], golden.tokens()[1]})))
                        .sum();
                gc.backward(loss);
            }

            for (String key : new String[] {"visual.conv1.weight", "visual.proj", "token_embedding.weight",
                    "transformer.resblocks.1.attn.in_proj_weight", "ln_final.weight", "text_projection"}) {
                assertThat(clip.parameters().get(key).getGradient().abs().sum().getFloat()).as(key).isGreaterThan(0f);
            }
        }
    }

    static NDArray cosine(NDArray a, NDArray b) {
        return a.mul(b).sum(new int[] {1}).div(a.square().sum(new int[] {1}).mul(b.square().sum(new int[] {1})).sqrt());
    }
}
