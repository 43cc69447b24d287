package dev.dreamoven.bake;

import java.time.Instant;
import java.util.Map;
import java.util.Random;

/** Small deterministic baked paths for tests. */
final class BakedPathsForTests {

    static final Instant T0 = Instant.parse("2026-05-12T10:15:30.123456Z");

    private BakedPathsForTests() {
    }

    static float[][] randomStages(long seed, int k, int d) {
        Random r = new Random(seed);
        float[][] s = new float[k][d];
        for (float[] row : s) {
            for (int i = 0; i < d; i++) {
                row[i] = (float) r.nextGaussian();
            }
        }
        return s;
    }

    static BakedPath path(String prompt, String model, long seed) {
        return BakedPath.of(prompt, model, 64, randomStages(seed, 4, 8), Map.of("steps", "25"), 0.25,
                "tester", T0);
    }
}
