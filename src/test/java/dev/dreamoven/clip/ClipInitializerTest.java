package dev.dreamoven.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.dreamoven.testing.Torch;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClipInitializerTest {

    private static final ClipConfig CONFIG = new ClipConfig(64, 32, 2, 128, 8, 16, 600, 128, 2);

    @RegisterExtension
    static final Torch TORCH = new Torch();

    @Test
    void it_builds_every_tensor_the_architecture_needs_and_openaiclip_accepts_it() {
        try (NDManager m = TORCH.manager().newSubManager()) {
            Map<String, NDArray> params = ClipInitializer.initialize(CONFIG, 1, m);
            assertThat(params.keySet()).containsExactlyElementsOf(OpenAiClip.expectedShapes(CONFIG).keySet());
            try (OpenAiClip model = new OpenAiClip("fresh", params)) {
                assertThat(model.config()).isEqualTo(CONFIG);
                assertThat(model.logitScale()).isCloseTo(1 / 0.07f, within(1e-3f));
            }
        }
    }

    @Test
    void the_same_seed_gives_the_same_weights_and_another_seed_other_weights() {
        try (NDManager m = TORCH.manager().newSubManager()) {
            float[] a = ClipInitializer.initialize(CONFIG, 1, m).get("visual.proj").toFloatArray();
            float[] b = ClipInitializer.initialize(CONFIG, 1, m).get("visual.proj").toFloatArray();
            float[] c = ClipInitializer.initialize(CONFIG, 2, m).get("visual.proj").toFloatArray();
            assertThat(b).containsExactly(a);
            assertThat(c).isNotEqualTo(a);
        }
    }

    @Test
    void weights_follow_openai_scales_layer_norms_start_at_identity_and_biases_at_zero() {
        try (NDManager m = TORCH.manager().newSubManager()) {
            Map<String, NDArray> p = ClipInitializer.initialize(CONFIG, 3, m);
            assertThat(std(p.get("token_embedding.weight"))).isCloseTo(0.02, within(0.002));
            assertThat(std(p.get("positional_embedding"))).isCloseTo(0.01, within(0.002));
            assertThat(std(p.get("transformer.resblocks.0.attn.in_proj_weight")))
                    .isCloseTo(Math.pow(128, -0.5), within(0.005));
            assertThat(std(p.get("transformer.resblocks.1.mlp.c_proj.weight")))
                    .isCloseTo(Math.pow(128, -0.5) * Math.pow(4, -0.5), within(0.003));
            assertThat(std(p.get("visual.transformer.resblocks.0.mlp.c_fc.weight")))
                    .isCloseTo(Math.pow(256, -0.5), within(0.003));
            assertThat(p.get("visual.ln_pre.weight").toFloatArray()).containsOnly(1f);
            assertThat(p.get("transformer.resblocks.0.ln_2.bias").toFloatArray()).containsOnly(0f);
            assertThat(p.get("visual.transformer.resblocks.1.attn.in_proj_bias").toFloatArray()).containsOnly(0f);
        }
    }

    private static double std(NDArray a) {
        float[] v = a.toFloatArray();
        double sum = 0;
        double sq = 0;
        for (float x : v) {
            sum += x;
            sq += x * x;
        }
        double mean = sum / v.length;
        return Math.sqrt(sq / v.length - mean * mean);
    }
}
