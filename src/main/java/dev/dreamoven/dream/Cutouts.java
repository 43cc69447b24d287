package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.clip.ScalarOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The views CLIP sees each step: multi-scale square crops with wrap-around shift, rotation, flip and
 * noise, plus the whole picture. All geometry becomes one bilinear sampling map built here, so a
 * batch of views is a single differentiable gather from the picture.
 */
public final class Cutouts {

    private Cutouts() {
    }

    /**
     * One view in source pixel coordinates (pixel i covers [i, i+1)).
     *
     * @param centerX centre of the square window
     * @param centerY centre of the square window
     * @param side side of the window in source pixels
     * @param angle rotation in radians (counter-clockwise as seen on screen with y down: x→y)
     * @param flip mirror left-right inside the window
     * @param noise standard deviation of Gaussian noise added to this view
     * @param wrap outside the picture wraps around (true) or repeats the edge pixel (false)
     */
    public record View(double centerX, double centerY, double side, double angle, boolean flip, double noise,
            boolean wrap) {

        /** The whole picture, unaugmented, edges repeated. */
        public static View whole(int height, int width) {
            return new View(width / 2.0, height / 2.0, Math.max(width, height), 0, false, 0, false);
        }
    }

    /** The whole view (if enabled) then {@code s.cutouts()} random views, drawn from {@code rnd} in a fixed order. */
    public static List<View> sample(DreamSettings.Views s, int height, int width, Random rnd) {
        List<View> views = new ArrayList<>(s.cutouts() + 1);
        if (s.wholeView()) {
            views.add(View.whole(height, width));
        }
        double full = Math.min(width, height);
        for (int i = 0; i < s.cutouts(); i++) {
            double scale = s.cutMinScale() + rnd.nextDouble() * (s.cutMaxScale() - s.cutMinScale());
            double side = scale * full;
            double cx = side < width ? side / 2 + rnd.nextDouble() * (width - side) : width / 2.0;
            double cy = side < height ? side / 2 + rnd.nextDouble() * (height - side) : height / 2.0;
            cx += (rnd.nextDouble() * 2 - 1) * s.shift() * width;
            cy += (rnd.nextDouble() * 2 - 1) * s.shift() * height;
            double angle = Math.toRadians((rnd.nextDouble() * 2 - 1) * s.rotationDegrees());
            boolean flip = s.flip() && rnd.nextBoolean();
            views.add(new View(cx, cy, side, angle, flip, s.noise(), true));
        }
        return views;
    }

    /**
     * @param image {@code [1, 3, H, W]} (or {@code [3, H, W]})
     * @param views the windows to cut
     * @param resolution side R of every output view
     * @param noiseBank where views with noise take their noise from (null when none has noise)
     * @param rnd picks the noise of each view from the bank (drawn only for views with noise)
     * @return {@code [N, 3, R, R]} in the image's manager
     */
    public static NDArray render(NDArray image, List<View> views, int resolution, NoiseBank noiseBank, Random rnd) {
        // The sampling map is computed with array operations: building it in Java and copying it
        // in would allocate native buffers every step that are only freed by the garbage collector.
        Shape shape = image.getShape();
        int height = (int) shape.get(shape.dimension() - 2);
        int width = (int) shape.get(shape.dimension() - 1);
        int n = views.size();
        int r = resolution;
        long m = (long) n * r * r;
        NDManager manager = image.getManager();
        float[] cx = new float[n];
        float[] cy = new float[n];
        float[] side = new float[n];
        float[] cos = new float[n];
        float[] sin = new float[n];
        float[] mirror = new float[n];
        float[] wrap = new float[n];
        float[] noise = new float[n];
        boolean anyNoise = false;
        for (int k = 0; k < n; k++) {
            View v = views.get(k);
            cx[k] = (float) v.centerX();
            cy[k] = (float) v.centerY();
            side[k] = (float) v.side();
            cos[k] = (float) Math.cos(v.angle());
            sin[k] = (float) Math.sin(v.angle());
            mirror[k] = v.flip() ? -1f : 1f;
            wrap[k] = v.wrap() ? 1f : 0f;
            noise[k] = (float) v.noise();
            anyNoise |= v.noise() > 0;
        }
        Shape column = new Shape(n, 1);
        NDArray a1 = ScalarOps.div(manager.arange(0f, (float) r).add(0.5f), r).sub(0.5f); // [R] cell centres in (−½, ½)
        NDArray a = a1.tile(r).reshape(1, (long) r * r); // [1, R·R] varies along u (x)
        NDArray b = a1.repeat(r).reshape(1, (long) r * r); // [1, R·R] varies along v (y)
        NDArray fa = a.mul(manager.create(mirror, column)); // [N, R·R]
        NDArray c = manager.create(cos, column);
        NDArray sn = manager.create(sin, column);
        NDArray sd = manager.create(side, column);
        NDArray x = fa.mul(c).sub(b.mul(sn)).mul(sd).add(manager.create(cx, column)).sub(0.5f); // [N, R·R]
        NDArray y = fa.mul(sn).add(b.mul(c)).mul(sd).add(manager.create(cy, column)).sub(0.5f);
        NDArray x0 = x.floor();
        NDArray y0 = y.floor();
        NDArray fx = x.sub(x0);
        NDArray fy = y.sub(y0);
        NDArray w = manager.create(wrap, column);
        NDArray xa = edge(x0, width, w);
        NDArray xb = edge(x0.add(1f), width, w);
        NDArray ya = ScalarOps.mul(edge(y0, height, w), width);
        NDArray yb = ScalarOps.mul(edge(y0.add(1f), height, w), width);
        NDArray index = NDArrays.concat(new NDList(ya.add(xa), ya.add(xb), yb.add(xa), yb.add(xb)), 0) // [4N, R·R]
                .toType(DataType.INT64, false).reshape(1, 4 * m).broadcast(new Shape(3, 4 * m));
        NDArray gx = fx.neg().add(1f);
        NDArray gy = fy.neg().add(1f);
        NDArray weight = NDArrays.concat(new NDList(gx.mul(gy), fx.mul(gy), gx.mul(fy), fx.mul(fy)), 0)
                .reshape(1, 4, m); // [1, 4, M]
        NDArray flat = image.reshape(3, (long) height * width); // [3, H·W]
        NDArray sampled = flat.gather(index, 1).reshape(3, 4, m).mul(weight).sum(new int[] {1}) // [3, M]
                .reshape(3, n, r, r).transpose(1, 0, 2, 3); // [N, 3, R, R]
        if (!anyNoise) {
            return sampled;
        }
        NDList parts = new NDList(n);
        for (int k = 0; k < n; k++) {
            parts.add(noise[k] > 0 ? ScalarOps.mul(noiseBank.pick(rnd, manager), noise[k]) : manager.zeros(new Shape(3, r, r)));
        }
        return sampled.add(NDArrays.stack(parts, 0));
    }

    /**
     * Standard-normal noise images made once per dream from the seeded {@code Random}; a view takes
     * one of them, maybe transposed and negated. Copying fresh noise in from Java every step would
     * allocate native buffers only the garbage collector frees, and reseeding libtorch's global
     * generator every step is slow.
     */
    public static final class NoiseBank {
        private final NDArray bank; // [K, 3, R, R]
        private final int size;

        private NoiseBank(NDArray bank, int size) {
            this.bank = bank;
            this.size = size;
        }

        /** @param manager owns the bank for the whole dream */
        public static NoiseBank create(NDManager manager, int resolution, int count, Random rnd) {
            float[] v = new float[count * 3 * resolution * resolution];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            return new NoiseBank(manager.create(v, new Shape(count, 3, resolution, resolution)), count);
        }

        /** One noise image {@code [3, R, R]} in {@code into}. */
        NDArray pick(Random rnd, NDManager into) {
            int j = rnd.nextInt(size);
            boolean transpose = rnd.nextBoolean();
            boolean negate = rnd.nextBoolean();
            NDArray one = bank.get(j);
            one.attach(into);
            NDArray out = transpose ? one.transpose(0, 2, 1) : one;
            return negate ? out.neg() : out;
        }
    }

    /** Integer coordinates (as floats) wrapped into [0, size) where {@code wrap} is 1, else clamped. */
    private static NDArray edge(NDArray i, int size, NDArray wrap) {
        NDArray wrapped = i.sub(ScalarOps.mul(ScalarOps.div(i, size).floor(), size));
        NDArray clamped = i.clip(0f, (float) (size - 1));
        return wrapped.mul(wrap).add(clamped.mul(wrap.neg().add(1f)));
    }

    /** Resizes a picture bilinearly (edges repeated): {@code [1, 3, h, w] → [1, 3, side, side]}. */
    public static NDArray resize(NDArray image, int side) {
        Shape shape = image.getShape();
        int height = (int) shape.get(shape.dimension() - 2);
        int width = (int) shape.get(shape.dimension() - 1);
        return render(image, List.of(View.whole(height, width)), side, null, null);
    }
}
