package dev.dreamoven.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.dreamoven.testing.SharedFixtures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The golden vectors of {@code shared/clip-golden} and {@code shared/clip-golden-rn} (see their READMEs). */
record Golden(List<String> captions, int[][] tokens, float[][] textEmbeddings, float[][] imageEmbeddings,
        float[][] cosine) {

    static Golden read(String file) {
        return at("clip-golden/" + file);
    }

    /** @param relative a golden JSON file inside shared/, e.g. "clip-golden-rn/golden-rn.json" */
    static Golden at(String relative) {
        Path p = SharedFixtures.require(relative);
        try {
            JsonObject j = new Gson().fromJson(Files.readString(p), JsonObject.class);
            Gson g = new Gson();
            return new Golden(
                    List.of(g.fromJson(j.get("captions"), String[].class)),
                    j.has("tokens") ? g.fromJson(j.get("tokens"), int[][].class) : null,
                    g.fromJson(j.get("text_embeddings"), float[][].class),
                    g.fromJson(j.get("image_embeddings"), float[][].class),
                    j.has("cosine_image_x_text") ? g.fromJson(j.get("cosine_image_x_text"), float[][].class) : null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Golden fp32() {
        return read("golden.json");
    }

    static Golden fp16() {
        return read("golden-fp16.json");
    }

    static float[] floats(String file) {
        return floatsAt("clip-golden/" + file);
    }

    /** Little-endian float32 values of a file inside shared/. */
    static float[] floatsAt(String relative) {
        Path p = SharedFixtures.require(relative);
        try {
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[buf.remaining() / 4];
            buf.asFloatBuffer().get(v);
            return v;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The two test images, [2, 3, 32, 32], already CLIP-normalized. */
    static NDArray images(NDManager m) {
        return m.create(floats("images.f32"), new Shape(2, 3, 32, 32));
    }

    static NDArray tokenArray(NDManager m, int[][] tokens) {
        int ctx = tokens[0].length;
        int[] flat = new int[tokens.length * ctx];
        for (int i = 0; i < tokens.length; i++) {
            System.arraycopy(tokens[i], 0, flat, i * ctx, ctx);
        }
        return m.create(flat, new Shape(tokens.length, ctx));
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

    static float maxAbsDiff(float[][] a, float[][] b) {
        if (a.length != b.length) {
            return Float.POSITIVE_INFINITY;
        }
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) {
                return Float.POSITIVE_INFINITY;
            }
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
