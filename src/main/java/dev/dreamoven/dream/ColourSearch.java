package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.clip.ClipModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Chooses the colours of a {@link LayerCanvas} before the dream starts: the guide scores generic
 * pictures — a few smooth random blobs of one colour on another — for every pair of palette colours,
 * keeps the best few pairs, and extends them one layer at a time (a layer may take the background's
 * colour, which leaves it invisible). The pictures know nothing of what the prompt names; they only
 * ask the guide which colours it wants where. Optimizing soft colour mixtures instead was measured
 * and lost (docs/experiments.md): the mixture's gradient wanders and settles on the wrong colours.
 */
final class ColourSearch {

    /** Generic pictures per candidate. */
    static final int BLOBS = 4;
    /** Share of the picture a blob set covers. */
    static final double COVERAGE = 0.12;
    /** Best partial sequences kept per layer. */
    static final int BEAM = 4;
    /** Larger palettes are first cut to this many colours by how the guide likes each as a flat picture. */
    static final int MAX_CANDIDATES = 16;
    private static final int BATCH = 64;

    private final ClipModel model;
    private final float[] direction; // Σ weight · unit feature, [D]

    /**
     * @param features the plan's features with their weights (negative ones repel)
     */
    ColourSearch(ClipModel model, List<float[]> features, List<Double> weights) {
        this.model = model;
        int d = model.embedDim();
        direction = new float[d];
        for (int i = 0; i < features.size(); i++) {
            float[] f = features.get(i);
            double norm = 0;
            for (float v : f) {
                norm += v * v;
            }
            norm = Math.sqrt(norm) + 1e-12;
            for (int j = 0; j < d; j++) {
                direction[j] += (float) (weights.get(i) * f[j] / norm);
            }
        }
    }

    /**
     * @param palette candidate colours, 0xRRGGBB
     * @param layers K ≥ 2: the background and K−1 painted layers
     * @return K colours, background first
     */
    int[] choose(int[] palette, int layers, Random rnd, NDManager parent) {
        if (palette.length < 2) {
            throw new IllegalArgumentException("a layered drawing needs at least two palette colours");
        }
        int r = model.imageResolution();
        try (NDManager scope = parent.newSubManager()) {
            int[] colours = palette.length > MAX_CANDIDATES ? preselect(palette, scope) : palette;
            List<float[][]> blobSets = new ArrayList<>();
            float[][] taken = new float[BLOBS][r * r];
            List<Candidate> beam = new ArrayList<>();
            for (int layer = 1; layer < layers; layer++) {
                float[][] blobs = blobs(rnd, r, taken);
                blobSets.add(blobs);
                List<int[]> extended = new ArrayList<>();
                if (layer == 1) {
                    for (int b : colours) {
                        for (int f : colours) {
                            if (b != f) {
                                extended.add(new int[] {b, f});
                            }
                        }
                    }
                } else {
                    for (Candidate c : beam) {
                        for (int f : colours) {
                            if (f != c.colours[c.colours.length - 1]) {
                                int[] next = Arrays.copyOf(c.colours, c.colours.length + 1);
                                next[next.length - 1] = f;
                                extended.add(next);
                            }
                        }
                    }
                }
                double[] scores = score(extended, blobSets, scope);
                List<Candidate> all = new ArrayList<>(extended.size());
                for (int i = 0; i < extended.size(); i++) {
                    all.add(new Candidate(extended.get(i), scores[i]));
                }
                all.sort(Comparator.comparingDouble(Candidate::score).reversed());
                beam = new ArrayList<>(all.subList(0, Math.min(BEAM, all.size())));
                for (int k = 0; k < BLOBS; k++) {
                    for (int p = 0; p < r * r; p++) {
                        taken[k][p] = Math.max(taken[k][p], blobs[k][p]);
                    }
                }
            }
            return beam.get(0).colours;
        }
    }

    private record Candidate(int[] colours, double score) {
    }

    /** The {@link #MAX_CANDIDATES} colours whose flat pictures the guide scores highest. */
    private int[] preselect(int[] palette, NDManager scope) {
        List<int[]> flat = new ArrayList<>();
        for (int c : palette) {
            flat.add(new int[] {c});
        }
        double[] s = score(flat, List.of(), scope);
        Integer[] order = new Integer[palette.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(s[b], s[a]));
        int[] out = new int[MAX_CANDIDATES];
        for (int i = 0; i < out.length; i++) {
            out[i] = palette[order[i]];
        }
        return out;
    }

    /** Mean over the blob pictures of each candidate's cosine to the direction. */
    private double[] score(List<int[]> candidates, List<float[][]> blobSets, NDManager scope) {
        int r = model.imageResolution();
        int plane = r * r;
        int per = blobSets.isEmpty() ? 1 : BLOBS;
        int images = candidates.size() * per;
        double[] out = new double[candidates.size()];
        float[] mean = ClipImages.mean();
        float[] std = ClipImages.std();
        NDArray dir = scope.create(direction, new Shape(direction.length, 1)); // [D, 1]
        for (int start = 0; start < images; start += BATCH) {
            int count = Math.min(BATCH, images - start);
            float[] pixels = new float[count * 3 * plane];
            for (int i = 0; i < count; i++) {
                int[] colours = candidates.get((start + i) / per);
                int blob = (start + i) % per;
                for (int p = 0; p < plane; p++) {
                    int rgb = colours[0];
                    for (int l = 1; l < colours.length; l++) {
                        if (blobSets.get(l - 1)[blob][p] > 0.5f) {
                            rgb = colours[l];
                        }
                    }
                    float[] c = LayerCanvas.rgb(rgb);
                    for (int ch = 0; ch < 3; ch++) {
                        pixels[(i * 3 + ch) * plane + p] = (c[ch] - mean[ch]) / std[ch];
                    }
                }
            }
            try (NDManager batch = scope.newSubManager()) {
                dir.tempAttach(batch);
                NDArray x = batch.create(pixels, new Shape(count, 3, r, r));
                NDArray e = SphericalDistanceLoss.normalize(model.encodeImage(x)); // [n, D]
                float[] s = e.matMul(dir).toFloatArray(); // [n]
                for (int i = 0; i < count; i++) {
                    out[(start + i) / per] += s[i] / per;
                }
            }
        }
        return out;
    }

    /**
     * {@link #BLOBS} masks {@code [R·R]} (0 or 1): bilinearly upsampled 4×4 noise above the quantile
     * that leaves {@link #COVERAGE} of the free pixels (those not in {@code taken}) covered.
     */
    static float[][] blobs(Random rnd, int r, float[][] taken) {
        float[] up = LayerCanvas.bilinear(4, r); // [R, 4]
        float[][] out = new float[BLOBS][r * r];
        for (int k = 0; k < BLOBS; k++) {
            double[] noise = new double[16];
            for (int i = 0; i < 16; i++) {
                noise[i] = rnd.nextGaussian();
            }
            double[] field = new double[r * r];
            List<Double> free = new ArrayList<>();
            for (int y = 0; y < r; y++) {
                for (int x = 0; x < r; x++) {
                    double v = 0;
                    for (int i = 0; i < 4; i++) {
                        for (int j = 0; j < 4; j++) {
                            v += up[y * 4 + i] * noise[i * 4 + j] * up[x * 4 + j];
                        }
                    }
                    field[y * r + x] = v;
                    if (taken[k][y * r + x] < 0.5f) {
                        free.add(v);
                    }
                }
            }
            free.sort(null);
            double threshold = free.isEmpty() ? Double.MAX_VALUE
                    : free.get(Math.min(free.size() - 1, (int) ((1 - COVERAGE) * free.size())));
            for (int p = 0; p < r * r; p++) {
                out[k][p] = field[p] > threshold && taken[k][p] < 0.5f ? 1f : 0f;
            }
        }
        return out;
    }
}
