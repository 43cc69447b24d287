package dev.dreamoven.dream;

import java.util.ArrayList;
import java.util.List;

/** Targets of a plain prompt dream from text embeddings the caller made with the clip package. */
public final class PromptTargets {

    private PromptTargets() {
    }

    /**
     * One target, active the whole run: the prompt with weight 1 and each negative prompt with
     * weight {@code −negativeWeight} (it repels).
     */
    public static List<GuideTarget> of(float[] positive, List<float[]> negatives, double negativeWeight) {
        return of("prompt", positive, List.of(), negatives, negativeWeight);
    }

    /** As {@link #of(float[], List, double)} with labels for the negatives (shown in logs). */
    public static List<GuideTarget> of(String label, float[] positive, List<String> negativeLabels,
            List<float[]> negatives, double negativeWeight) {
        List<GuideFeature> features = new ArrayList<>();
        features.add(new GuideFeature(label, positive, 1.0));
        for (int i = 0; i < negatives.size(); i++) {
            String name = i < negativeLabels.size() ? negativeLabels.get(i) : "negative " + (i + 1);
            features.add(new GuideFeature(name, negatives.get(i), -Math.abs(negativeWeight)));
        }
        return List.of(new GuideTarget(label, features, false, 0, 1, 1));
    }
}
