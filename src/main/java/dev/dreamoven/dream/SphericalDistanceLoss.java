package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import dev.dreamoven.clip.ScalarOps;

/**
 * The guidance distance of the seed scripts: {@code sph(x, y) = 2 · arcsin(‖x̂ − ŷ‖ / 2)²}, which
 * equals θ²/2 for the angle θ between x and y (0 for equal directions, π²/2 for opposite ones).
 */
public final class SphericalDistanceLoss {

    private SphericalDistanceLoss() {
    }

    /** Rows divided by their length. {@code [N, D] → [N, D]} */
    public static NDArray normalize(NDArray rows) {
        return rows.div(ScalarOps.max(rows.norm(new int[] {1}, true), 1e-12f));
    }

    /**
     * @param images image embeddings {@code [N, D]}, any length
     * @param targets target embeddings {@code [F, D]}, any length
     * @return {@code [N, F]} spherical distances
     */
    public static NDArray pairwise(NDArray images, NDArray targets) {
        NDArray cos = cosine(images, targets); // [N, F]
        return fromCosine(cos);
    }

    /** {@code [N, D] × [F, D] → [N, F]} cosine similarities. */
    public static NDArray cosine(NDArray images, NDArray targets) {
        return normalize(images).matMul(normalize(targets).transpose());
    }

    /** sph from cosines: ‖x̂ − ŷ‖ = sqrt(2 − 2 cos), kept away from the infinite slopes at 0 and 2. */
    public static NDArray fromCosine(NDArray cos) {
        NDArray chord = ScalarOps.mul(cos, -2).add(2f).clip(1e-12f, 4f - 1e-6f).sqrt(); // [N, F]
        NDArray half = ScalarOps.div(chord, 2).asin();
        return ScalarOps.mul(half.square(), 2);
    }

    /** The same distance for plain vectors, for tests and reports. */
    public static double of(float[] x, float[] y) {
        double xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < x.length; i++) {
            xx += x[i] * (double) x[i];
            yy += y[i] * (double) y[i];
            xy += x[i] * (double) y[i];
        }
        double cos = xy / Math.max(1e-24, Math.sqrt(xx * yy));
        double chord = Math.sqrt(Math.max(0, 2 - 2 * cos));
        double a = Math.asin(Math.min(1, chord / 2));
        return 2 * a * a;
    }

    /** Cosine of two plain vectors. */
    public static double cosineOf(float[] x, float[] y) {
        double xx = 0, yy = 0, xy = 0;
        for (int i = 0; i < x.length; i++) {
            xx += x[i] * (double) x[i];
            yy += y[i] * (double) y[i];
            xy += x[i] * (double) y[i];
        }
        return xy / Math.max(1e-24, Math.sqrt(xx * yy));
    }
}
