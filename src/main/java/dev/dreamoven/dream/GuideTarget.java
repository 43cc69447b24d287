package dev.dreamoven.dream;

import java.util.List;
import java.util.Objects;

/**
 * A CLIPig target: a list of features applied to every view of the image while the target is
 * active ({@code start <= t < end}, t = fraction of the whole run, 0..1).
 *
 * @param name shown in win counts
 * @param features the embeddings it pulls toward (or away from)
 * @param selectBest per view apply only the feature the view matches best (highest cosine) and
 *     count that feature's win; otherwise every feature applies to every view
 * @param start fraction of the run at which it switches on
 * @param end fraction of the run at which it switches off (1 = until the end)
 * @param weight multiplies every feature's weight
 */
public record GuideTarget(String name, List<GuideFeature> features, boolean selectBest, double start, double end,
        double weight) {

    public GuideTarget {
        Objects.requireNonNull(name, "name");
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("target '" + name + "' has no features");
        }
        if (!(start >= 0 && start < end && end <= 1.0 + 1e-9)) {
            throw new IllegalArgumentException("target '" + name + "' needs 0 <= start < end <= 1, got "
                    + start + ".." + end);
        }
        int d = features.get(0).embedding().length;
        for (GuideFeature f : features) {
            if (f.embedding().length != d) {
                throw new IllegalArgumentException("features of target '" + name + "' differ in width");
            }
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight of target '" + name + "' must be finite");
        }
    }

    /** A target active for the whole run with one feature of weight 1. */
    public static GuideTarget of(String name, float[] embedding) {
        return new GuideTarget(name, List.of(GuideFeature.of(name, embedding)), false, 0, 1, 1);
    }

    /** Whether it applies at run fraction {@code t}. The last step of a run (t just under 1) counts. */
    public boolean activeAt(double t) {
        return start <= t && t < end;
    }

    public int embedDim() {
        return features.get(0).embedding().length;
    }
}
