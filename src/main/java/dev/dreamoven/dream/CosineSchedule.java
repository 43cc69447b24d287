package dev.dreamoven.dream;

/**
 * Learning rate per step: a linear warm-up to the peak over {@code warmupSteps}, then half a cosine
 * from the peak down to {@code minFraction × peak} at the last step.
 */
public record CosineSchedule(double peak, int totalSteps, int warmupSteps, double minFraction) {

    /** The free-pixel dream's warm-up (at most a quarter of the run). */
    static final int WARMUP_STEPS = 10;
    /** … and where its cosine ends, as a fraction of the peak. */
    static final double MIN_FRACTION = 0.1;

    public CosineSchedule {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("total steps must be positive");
        }
    }

    /** The free-pixel dream's schedule: peak {@code s.learningRate()}, {@link #WARMUP_STEPS}, {@link #MIN_FRACTION}. */
    public static CosineSchedule of(DreamSettings.Schedule s, int totalSteps) {
        return new CosineSchedule(s.learningRate(), totalSteps, Math.min(WARMUP_STEPS, totalSteps / 4), MIN_FRACTION);
    }

    /** @param step 0-based */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        int span = totalSteps - warmupSteps - 1;
        double progress = span <= 0 ? 0 : Math.min(1.0, (double) (step - warmupSteps) / span);
        double min = peak * minFraction;
        return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
