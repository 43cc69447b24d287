package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
    public static List<View> sample(DreamSettings s, int height, int width, Random rnd) {
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
     * @param rnd noise source (used only for views with noise), drawn in a fixed order
     * @return {@code [N, 3, R, R]} in the image's manager
     */
    public static NDArray render(NDArray image, List<View> views, int resolution, Random rnd) {
        Shape shape = image.getShape();
        int height = (int) shape.get(shape.dimension() - 2);
        int width = (int) shape.get(shape.dimension() - 1);
        int n = views.size();
        int r = resolution;
        int m = n * r * r;
        long[] index = new long[4 * m];
        float[] weight = new float[4 * m];
        for (int k = 0; k < n; k++) {
            View view = views.get(k);
            double cos = Math.cos(view.angle());
            double sin = Math.sin(view.angle());
            for (int v = 0; v < r; v++) {
                double b = (v + 0.5) / r - 0.5;
                for (int u = 0; u < r; u++) {
                    double a = (u + 0.5) / r - 0.5;
                    if (view.flip()) {
                        a = -a;
                    }
                    double ra = a * cos - b * sin;
                    double rb = a * sin + b * cos;
                    double x = view.centerX() + view.side() * ra - 0.5;
                    double y = view.centerY() + view.side() * rb - 0.5;
                    int x0 = (int) Math.floor(x);
                    int y0 = (int) Math.floor(y);
                    float fx = (float) (x - x0);
                    float fy = (float) (y - y0);
                    int xa = edge(x0, width, view.wrap());
                    int xb = edge(x0 + 1, width, view.wrap());
                    int ya = edge(y0, height, view.wrap());
                    int yb = edge(y0 + 1, height, view.wrap());
                    int p = (k * r + v) * r + u;
                    index[p] = (long) ya * width + xa;
                    index[m + p] = (long) ya * width + xb;
                    index[2 * m + p] = (long) yb * width + xa;
                    index[3 * m + p] = (long) yb * width + xb;
                    weight[p] = (1 - fx) * (1 - fy);
                    weight[m + p] = fx * (1 - fy);
                    weight[2 * m + p] = (1 - fx) * fy;
                    weight[3 * m + p] = fx * fy;
                }
            }
        }
        NDManager manager = image.getManager();
        NDArray flat = image.reshape(3, (long) height * width); // [3, H*W]
        NDArray idx = manager.create(index, new Shape(1, 4L * m)).broadcast(new Shape(3, 4L * m));
        NDArray corners = flat.gather(idx, 1).reshape(3, 4, m); // [3, 4, M]
        NDArray w = manager.create(weight, new Shape(1, 4, m));
        NDArray sampled = corners.mul(w).sum(new int[] {1}) // [3, M]
                .reshape(3, n, r, r).transpose(1, 0, 2, 3); // [N, 3, R, R]
        boolean anyNoise = views.stream().anyMatch(vw -> vw.noise() > 0);
        if (!anyNoise) {
            return sampled;
        }
        float[] noise = new float[n * 3 * r * r];
        int per = 3 * r * r;
        for (int k = 0; k < n; k++) {
            double sd = views.get(k).noise();
            if (sd > 0) {
                for (int i = 0; i < per; i++) {
                    noise[k * per + i] = (float) (rnd.nextGaussian() * sd);
                }
            }
        }
        return sampled.add(manager.create(noise, new Shape(n, 3, r, r)));
    }

    /** Resizes a picture bilinearly (edges repeated): {@code [1, 3, h, w] → [1, 3, side, side]}. */
    public static NDArray resize(NDArray image, int side) {
        Shape shape = image.getShape();
        int height = (int) shape.get(shape.dimension() - 2);
        int width = (int) shape.get(shape.dimension() - 1);
        return render(image, List.of(View.whole(height, width)), side, null);
    }

    private static int edge(int i, int size, boolean wrap) {
        return wrap ? Math.floorMod(i, size) : Math.min(size - 1, Math.max(0, i));
    }
}
