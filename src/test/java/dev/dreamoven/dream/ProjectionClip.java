package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.clip.ClipConfig;
import dev.dreamoven.clip.ClipModel;
import java.util.Random;

/**
 * A tiny stand-in for CLIP with real autograd: the image is average-pooled to a 4×4 grid, passed
 * through a fixed random two-layer network (tanh) to a 16-wide embedding; text is the mean of rows
 * of a random embedding table. Deterministic for a given seed.
 */
final class ProjectionClip implements ClipModel {

    static final int DIM = 16;
    private static final int GRID = 4;
    private static final int HIDDEN = 32;

    private final NDManager manager = NDManager.newBaseManager();
    private final int resolution;
    private final NDArray w1; // [3·GRID·GRID, HIDDEN]
    private final NDArray w2; // [HIDDEN, DIM]
    private final float[] table; // [vocab, DIM]
    private final int vocab = 64;

    ProjectionClip(int resolution, long seed) {
        this.resolution = resolution;
        Random rnd = new Random(seed);
        w1 = manager.create(gaussians(rnd, 3 * GRID * GRID * HIDDEN, 0.5), new Shape(3 * GRID * GRID, HIDDEN));
        w2 = manager.create(gaussians(rnd, HIDDEN * DIM, 0.5), new Shape(HIDDEN, DIM));
        table = gaussians(rnd, vocab * DIM, 1.0);
    }

    private static float[] gaussians(Random rnd, int n, double sd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rnd.nextGaussian() * sd);
        }
        return v;
    }

    @Override
    public String id() {
        return "projection-test";
    }

    @Override
    public ClipConfig config() {
        return new ClipConfig(DIM, resolution, 1, 64, resolution / GRID, 77, vocab, 64, 1);
    }

    @Override
    public ai.djl.Device device() {
        return manager.getDevice();
    }

    @Override
    public NDArray encodeImage(NDArray pixels) {
        long n = pixels.getShape().get(0);
        int cell = resolution / GRID;
        NDArray pooled = pixels.reshape(n, 3, GRID, cell, GRID, cell).mean(new int[] {5}).mean(new int[] {3}); // [N, 3, 4, 4]
        return pooled.reshape(n, 3 * GRID * GRID).matMul(w1).tanh().matMul(w2); // [N, DIM]
    }

    @Override
    public NDArray encodeText(NDArray tokens) {
        long[] ids = tokens.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        int n = (int) tokens.getShape().get(0);
        int context = (int) tokens.getShape().get(1);
        float[] out = new float[n * DIM];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int j = 0; j < context; j++) {
                long id = ids[i * context + j];
                if (id == 0) {
                    continue;
                }
                int row = (int) Math.floorMod(id, vocab);
                for (int d = 0; d < DIM; d++) {
                    out[i * DIM + d] += table[row * DIM + d];
                }
                count++;
            }
            for (int d = 0; d < DIM; d++) {
                out[i * DIM + d] /= Math.max(1, count);
            }
        }
        return tokens.getManager().create(out, new Shape(n, DIM));
    }

    /** The embedding of a picture made with {@code paint}, for targets the dream can actually reach. */
    float[] embedPicture(float[] rgb, int side) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray img = scope.create(rgb, new Shape(1, 3, side, side));
            NDArray view = Cutouts.resize(img, resolution);
            NDArray mean = scope.create(dev.dreamoven.clip.ClipImages.mean(), new Shape(1, 3, 1, 1));
            NDArray std = scope.create(dev.dreamoven.clip.ClipImages.std(), new Shape(1, 3, 1, 1));
            return encodeImage(view.sub(mean).div(std)).toFloatArray();
        }
    }

    /** A random direction in embedding space. */
    static float[] randomTarget(long seed) {
        return gaussians(new Random(seed), DIM, 1.0);
    }

    @Override
    public void close() {
        manager.close();
    }
}
