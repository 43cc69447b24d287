package dev.dreamoven.dream;

/**
 * Learning rate per step: a linear warm-up to the peak over {@code warmupSteps}, then half a cosine
 * from the peak down to {@code minFraction × peak} at the last step. Without {@code cosine} the
 * rate stays at the peak after the warm-up.
 */
public record CosineSchedule(double peak, int totalSteps, int warmupSteps, double minFraction, boolean cosine) {

    public CosineSchedule {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("total steps must be positive");
        }
    }

    public static CosineSchedule of(DreamSettings.Schedule s, int totalSteps) {
        return new CosineSchedule(s.learningRate(), totalSteps, Math.min(s.warmupSteps(), totalSteps / 4),
                s.minLearningRate(), s.cosine());
    }

    /** @param step 0-based */
    public double at(int step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (!cosine) {
            return peak;
        }
        int span = totalSteps - warmupSteps - 1;
        double progress = span <= 0 ? 0 : Math.min(1.0, (double) (step - warmupSteps) / span);
        double min = peak * minFraction;
        return min + (peak - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
