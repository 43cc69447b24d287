package dev.dreamoven.image;

/**
 * sRGB to CIELAB (D65). Nearest-colour decisions are made in Lab because equal steps there look
 * roughly equally different to people; in plain RGB a dark blue and black are "far" apart while
 * two clearly different greens are "close", which picks visibly wrong palette entries.
 */
public final class ColourSpace {

    private ColourSpace() {
    }

    /** Lab of a 0xRRGGBB colour: {@code {L, a, b}}. */
    public static double[] lab(int rgb) {
        return lab(((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0);
    }

    /** Lab of sRGB channels in [0, 1] (clamped). */
    public static double[] lab(double r, double g, double b) {
        double lr = linear(r);
        double lg = linear(g);
        double lb = linear(b);
        double x = (0.4124564 * lr + 0.3575761 * lg + 0.1804375 * lb) / 0.95047;
        double y = 0.2126729 * lr + 0.7151522 * lg + 0.0721750 * lb;
        double z = (0.0193339 * lr + 0.1191920 * lg + 0.9503041 * lb) / 1.08883;
        double fx = f(x);
        double fy = f(y);
        double fz = f(z);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    /** Squared Euclidean distance between two Lab triples (CIE76, squared). */
    public static double distanceSquared(double[] p, double[] q) {
        double dl = p[0] - q[0];
        double da = p[1] - q[1];
        double db = p[2] - q[2];
        return dl * dl + da * da + db * db;
    }

    private static double linear(double c) {
        c = Math.max(0, Math.min(1, c));
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }

    private static double f(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }
}
