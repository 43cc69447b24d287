package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.dreamoven.testing.SharedFixtures;
import dev.dreamoven.testing.Torch;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java ModifiedResNet CLIP reproduces openai/CLIP's outputs on the tiny ResNet CLIP of
 * {@code shared/clip-golden-rn}: from its TorchScript archive (float32 and mixed float16/float32
 * storage) and from safetensors, embeddings and the pixel gradient.
 */
class ResNetClipGoldenTest {

    @RegisterExtension
    static final Torch TORCH = new Torch();

    static final String DIR = "clip-golden-rn/";

    static Golden fp32() {
        return Golden.at(DIR + "golden-rn.json");
    }

    /** The two test images, [2, 3, 64, 64], already CLIP-normalized. */
    static NDArray images(NDManager m) {
        return m.create(Golden.floatsAt(DIR + "images-rn.f32"), new Shape(2, 3, 64, 64));
    }

    @Test
    void safetensorsCheckpointReproducesGoldenEmbeddings() {
        assertReproducesGolden(SharedFixtures.require(DIR + "tiny-rn-clip.safetensors"), fp32());
    }

    @Test
    void torchScriptCheckpointReproducesGoldenEmbeddings() {
        assertReproducesGolden(SharedFixtures.require(DIR + "tiny-rn-clip.pt"), fp32());
    }

    @Test
    void mixedFloat16TorchScriptCheckpointReproducesItsGoldenEmbeddings() {
        assertReproducesGolden(SharedFixtures.require(DIR + "tiny-rn-clip-fp16.pt"),
                Golden.at(DIR + "golden-rn-fp16.json"));
    }

    /**
     * Faithful float32 lands near 1e-7 (max |embedding| is about 1); BatchNorm with the batch's
     * own statistics instead of the running ones, or a pool that misses the mean token as a key,
     * misses by far more than 1e-5.
     */
    private static void assertReproducesGolden(Path checkpoint, Golden golden) {
        try (OpenAiClip clip = ClipCheckpoints.load(checkpoint, TORCH.manager());
                NDManager step = TORCH.manager().newSubManager()) {
            assertThat(clip.config().vision()).isInstanceOf(ImageTower.ResNet.class);
            float[][] text = Golden.rows(clip.encodeText(Golden.tokenArray(step, golden.tokens())));
            float[][] image = Golden.rows(clip.encodeImage(images(step)));

            float textDiff = Golden.maxAbsDiff(text, golden.textEmbeddings());
            float imageDiff = Golden.maxAbsDiff(image, golden.imageEmbeddings());
            assertThat(textDiff).as("text").isLessThan(1e-5f);
            assertThat(imageDiff).as("image").isLessThan(1e-5f);
        }
    }

    @Test
    void pixelGradientOfTextImageCosineMatchesGolden() {
        Golden golden = fp32();
        float[] expected = Golden.floatsAt(DIR + "grad0-rn.f32");
        try (OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require(DIR + "tiny-rn-clip.safetensors"),
                TORCH.manager()); NDManager step = TORCH.manager().newSubManager()) {
            NDArray image0 = images(step).get("0:1");
            image0.setRequiresGradient(true);
            NDArray tokens0 = Golden.tokenArray(step, new int[][] {golden.tokens()[0]});
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = OpenAiClipGoldenTest.cosine(clip.encodeImage(image0), clip.encodeText(tokens0)).sum();
                gc.backward(loss);
            }
            float[] grad = image0.getGradient().toFloatArray();

            assertThat(grad).hasSize(expected.length);
            float max = 0;
            float largest = 0;
            for (int i = 0; i < grad.length; i++) {
                max = Math.max(max, Math.abs(grad[i] - expected[i]));
                largest = Math.max(largest, Math.abs(expected[i]));
            }
            assertThat(largest).as("the golden gradient is not trivially zero").isGreaterThan(1e-6f);
            assertThat(max).isLessThan(1e-8f); // faithful float32 lands near 1e-10
            assertThat(clip.parameters().values()).noneMatch(NDArray::hasGradient);
            assertThat(clip.buffers().values()).noneMatch(NDArray::hasGradient);
        }
    }

    @Test
    void weightsAndRunningStatisticsStayUnchangedAfterBackward() {
        try (OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require(DIR + "tiny-rn-clip.safetensors"),
                TORCH.manager()); NDManager step = TORCH.manager().newSubManager()) {
            float[] conv = clip.parameters().get("visual.layer2.0.conv2.weight").toFloatArray();
            float[] mean = clip.buffers().get("visual.layer2.0.bn2.running_mean").toFloatArray();
            float[] var = clip.buffers().get("visual.layer2.0.bn2.running_var").toFloatArray();
            NDArray pixels = images(step);
            pixels.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(clip.encodeImage(pixels).square().sum());
            }

            assertThat(pixels.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
            assertThat(clip.parameters().values()).noneMatch(NDArray::hasGradient);
            assertThat(clip.parameters().get("visual.layer2.0.conv2.weight").toFloatArray()).containsExactly(conv);
            assertThat(clip.buffers().get("visual.layer2.0.bn2.running_mean").toFloatArray()).containsExactly(mean);
            assertThat(clip.buffers().get("visual.layer2.0.bn2.running_var").toFloatArray()).containsExactly(var);
        }
    }

    @Test
    void runningStatisticsAreBuffersNotParameters() {
        try (OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require(DIR + "tiny-rn-clip.pt"), TORCH.manager())) {
            // bn1..3 of the stem, 3 per block (5 blocks), plus a downsample per stage: 3 + 15 + 4 = 22 layers
            assertThat(clip.buffers()).hasSize(2 * 22);
            assertThat(clip.buffers().keySet()).allMatch(k -> k.endsWith(".running_mean") || k.endsWith(".running_var"));
            assertThat(clip.parameters().keySet()).noneMatch(k -> k.contains("running_") || k.contains("num_batches"));
            assertThat(clip.parameters()).containsKeys("visual.bn1.weight", "visual.layer4.0.downsample.1.bias",
                    "visual.attnpool.c_proj.weight");
            clip.setTrainable(true);
            assertThat(clip.buffers().values()).noneMatch(NDArray::hasGradient);
        }
    }

    @Test
    void everythingAStepAllocatesLivesInTheInputsManager() throws Exception {
        Golden golden = fp32();
        try (OpenAiClip clip = ClipCheckpoints.load(SharedFixtures.require(DIR + "tiny-rn-clip.safetensors"),
                TORCH.manager())) {
            NDManager weights = clip.parameters().get("visual.attnpool.c_proj.weight").getManager();
            int before = resources(weights);
            for (int i = 0; i < 3; i++) {
                try (NDManager step = TORCH.manager().newSubManager()) {
                    NDArray pixels = images(step);
                    pixels.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray image = clip.encodeImage(pixels);
                        NDArray text = clip.encodeText(Golden.tokenArray(step, golden.tokens()));
                        assertThat(image.getManager()).isSameAs(step);
                        assertThat(text.getManager()).isSameAs(step);
                        gc.backward(image.sum());
                    }
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
