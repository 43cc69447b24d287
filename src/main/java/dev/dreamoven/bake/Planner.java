package dev.dreamoven.bake;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides how a prompt is rendered, and says why: the exact baked prompt is microwaved; a baked
 * prompt within {@code maxDistance} (spherical distance of the normalized text embeddings) makes an
 * auto-microwave from the two nearest paths; anything else is dreamed normally.
 */
public final class Planner {

    /** How a render uses the baked paths. */
    public enum Kind {
        NORMAL("normal"), MICROWAVE("microwave"), AUTO_MICROWAVE("auto-microwave");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * The decision.
     *
     * @param kind what to do
     * @param reason one sentence for the user ("baked prompt 'a red circle' matches exactly")
     * @param sources the baked paths used, nearest first (empty for normal)
     * @param distances spherical distance of each source to the prompt
     */
    public record Plan(Kind kind, String reason, List<BakedPath> sources, List<Double> distances) {
        public Plan {
            sources = List.copyOf(sources);
            distances = List.copyOf(distances);
        }

        /** "from 'a red circle' and 'a blue square'" for auto-microwave, "" otherwise. */
        public String sourceDescription() {
            if (sources.isEmpty()) {
                return "";
            }
            StringBuilder sb = new StringBuilder("from ");
            for (int i = 0; i < sources.size(); i++) {
                if (i > 0) {
                    sb.append(" and ");
                }
                sb.append('\'').append(sources.get(i).prompt()).append('\'');
            }
            return sb.toString();
        }
    }

    private final BakedPathStore store;
    private final double maxDistance;

    /**
     * @param maxDistance auto-microwave only when the nearest baked prompt is at most this far
     *     (spherical distance, 0 = same direction, π²/8 ≈ 1.23 = orthogonal)
     */
    public Planner(BakedPathStore store, double maxDistance) {
        if (!(maxDistance >= 0)) {
            throw new IllegalArgumentException("maxDistance must be >= 0, got " + maxDistance);
        }
        this.store = store;
        this.maxDistance = maxDistance;
    }

    /**
     * @param promptEmbedding the prompt's text embedding under {@code modelId} (any norm)
     * @throws InvalidInputException for mode MICROWAVE when the prompt was never baked for this model
     */
    public Plan plan(DreamRequest.Mode mode, String modelId, String prompt, float[] promptEmbedding) {
        if (mode == DreamRequest.Mode.NORMAL) {
            return new Plan(Kind.NORMAL, "normal dream as asked", List.of(), List.of());
        }
        Optional<BakedPath> exact = store.findByPrompt(modelId, prompt);
        if (exact.isPresent()) {
            return new Plan(Kind.MICROWAVE, "baked prompt '" + exact.get().prompt() + "' matches exactly",
                    List.of(exact.get()), List.of(0.0));
        }
        if (mode == DreamRequest.Mode.MICROWAVE) {
            throw new InvalidInputException("'" + prompt + "' has not been baked for model " + modelId
                    + "; bake it first, or dream with mode auto");
        }
        List<BakedPathStore.Match> near = store.nearest(modelId, promptEmbedding, 2);
        if (near.isEmpty()) {
            return new Plan(Kind.NORMAL, "no baked paths for model " + modelId, List.of(), List.of());
        }
        BakedPathStore.Match first = near.get(0);
        if (first.distance() > maxDistance) {
            return new Plan(Kind.NORMAL, String.format(Locale.ROOT,
                    "nearest baked prompt '%s' is too far (distance %.3f > %.3f)", first.path().prompt(),
                    first.distance(), maxDistance), List.of(), List.of());
        }
        // As in the original auto_microwave.py: the two nearest, once the nearest is close enough.
        List<BakedPathStore.Match> used = near;
        List<BakedPath> paths = used.stream()
                .map(m -> store.find(m.path().id()).orElseThrow(() -> new IllegalStateException(
                        "baked path " + m.path().id() + " vanished while planning")))
                .toList();
        String reason = String.format(Locale.ROOT, "nearest baked %s: %s", paths.size() == 1 ? "prompt" : "prompts",
                String.join(", ", used.stream().map(m -> String.format(Locale.ROOT, "'%s' (distance %.3f)",
                        m.path().prompt(), m.distance())).toList()));
        return new Plan(Kind.AUTO_MICROWAVE, reason, paths, used.stream().map(BakedPathStore.Match::distance).toList());
    }
}
