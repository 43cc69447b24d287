package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A CLIP model with the tokenizer that belongs to it (context length taken from the model).
 * Closing it frees the model's weights.
 */
public record LoadedClip(ClipModel model, ClipTokenizer tokenizer) implements AutoCloseable {

    /**
     * Token ids of the texts as an int32 array {@code [N, context]} in {@code manager}.
     *
     * @throws PromptTooLongException when a text does not fit and {@code truncate} is false
     */
    public NDArray tokens(List<String> texts, boolean truncate, NDManager manager) {
        int ctx = tokenizer.contextLength();
        int[] flat = new int[texts.size() * ctx];
        for (int i = 0; i < texts.size(); i++) {
            System.arraycopy(tokenizer.encode(texts.get(i), truncate), 0, flat, i * ctx, ctx);
        }
        return manager.create(flat, new Shape(texts.size(), ctx));
    }

    /**
     * Text embeddings, raw (not normalized), one row per text; uses and frees its own scope.
     *
     * @throws PromptTooLongException when a text does not fit the context
     */
    public float[][] embedTexts(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
            NDArray embeddings = model.encodeText(tokens(texts, false, scope)); // [N, D]
            return rows(embeddings);
        }
    }

    /** Image embeddings, raw, of CLIP-normalized {@code [N, 3, R, R]} float32 pixels (row-major). */
    public float[][] embedImages(float[] pixels, int count) {
        int r = model.imageResolution();
        if (pixels.length != count * 3 * r * r) {
            throw new IllegalArgumentException(count + " images of 3x" + r + "x" + r + " need "
                    + (count * 3 * r * r) + " floats, got " + pixels.length);
        }
        if (count == 0) {
            return new float[0][];
        }
        try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
            return rows(model.encodeImage(scope.create(pixels, new Shape(count, 3, r, r))));
        }
    }

    static float[][] rows(NDArray a) {
        int n = (int) a.getShape().get(0);
        int d = (int) a.getShape().get(1);
        float[] flat = a.toFloatArray();
        float[][] out = new float[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * d, out[i], 0, d);
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
