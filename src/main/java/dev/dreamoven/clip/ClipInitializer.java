package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A fresh CLIP state dict with OpenAI's initialization ({@code CLIP.initialize_parameters} and the
 * PyTorch defaults it leaves in place), drawn from one {@link Random} so the same seed gives the
 * same weights on every machine.
 *
 * <p>Token embedding N(0, 0.02); text positional embedding N(0, 0.01); vision class and positional
 * embeddings N(0, Wv^-0.5); attention in-projections N(0, W^-0.5); attention out and MLP
 * c_proj N(0, (2·layers)^-0.5·W^-0.5); MLP c_fc N(0, (2·W)^-0.5); conv1 and the two projections
 * N(0, W^-0.5); biases 0; LayerNorm 1 and 0; {@code logit_scale} ln(1/0.07).
 */
public final class ClipInitializer {

    private ClipInitializer() {
    }

    /** The tensors in {@link OpenAiClip#expectedShapes} order, created in {@code manager}. */
    public static Map<String, NDArray> initialize(ClipConfig config, long seed, NDManager manager) {
        Random random = new Random(seed);
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : OpenAiClip.expectedShapes(config).entrySet()) {
            String key = e.getKey();
            long[] shape = e.getValue();
            float[] values = new float[(int) new Shape(shape).size()];
            if (key.equals("logit_scale")) {
                values[0] = (float) Math.log(1 / 0.07);
            } else if (key.endsWith("ln_1.weight") || key.endsWith("ln_2.weight") || key.startsWith("ln_final.weight")
                    || key.equals("visual.ln_pre.weight") || key.equals("visual.ln_post.weight")) {
                java.util.Arrays.fill(values, 1f);
            } else if (!key.endsWith("bias")) {
                gaussian(values, std(key, config), random);
            }
            out.put(key, manager.create(values, new Shape(shape)));
        }
        return out;
    }

    /** Standard deviation of a weight tensor. */
    static double std(String key, ClipConfig c) {
        boolean vision = key.startsWith("visual.");
        int width = vision ? c.visionWidth() : c.textWidth();
        int layers = vision ? c.visionLayers() : c.textLayers();
        double widthScale = Math.pow(width, -0.5);
        if (key.equals("token_embedding.weight")) {
            return 0.02;
        }
        if (key.equals("positional_embedding")) {
            return 0.01;
        }
        if (key.endsWith("attn.in_proj_weight")) {
            return widthScale;
        }
        if (key.endsWith("attn.out_proj.weight") || key.endsWith("mlp.c_proj.weight")) {
            return widthScale * Math.pow(2.0 * layers, -0.5);
        }
        if (key.endsWith("mlp.c_fc.weight")) {
            return Math.pow(2.0 * width, -0.5);
        }
        // conv1, class/positional embeddings of the image tower, visual.proj, text_projection
        return widthScale;
    }

    private static void gaussian(float[] values, double std, Random random) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
    }
}
