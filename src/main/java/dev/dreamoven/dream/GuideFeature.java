package dev.dreamoven.dream;

import java.util.Objects;

/**
 * One target embedding.
 *
 * @param label shown in win counts and logs (e.g. the prompt text)
 * @param embedding the target in CLIP space, {@code [D]}; need not be normalized
 * @param weight how strongly it pulls; a negative weight repels (negative prompts)
 */
public record GuideFeature(String label, float[] embedding, double weight) {

    public GuideFeature {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(embedding, "embedding");
        if (embedding.length == 0) {
            throw new IllegalArgumentException("empty embedding for feature '" + label + "'");
        }
        if (!Double.isFinite(weight)) {
            throw new IllegalArgumentException("weight of feature '" + label + "' must be finite");
        }
        embedding = embedding.clone();
    }

    public static GuideFeature of(String label, float[] embedding) {
        return new GuideFeature(label, embedding, 1.0);
    }

    @Override
    public float[] embedding() {
        return embedding.clone();
    }
}
