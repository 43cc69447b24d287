package dev.dreamoven.bake;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import java.util.List;
import java.util.Optional;

/**
 * Decides how a prompt is rendered, and says so in words a user understands: the exact baked prompt
 * is microwaved; otherwise up to two baked paths blend into an auto-microwave, each of them within
 * {@code maxDistance} of the prompt (spherical distance of the normalized text embeddings) and none
 * whose prompt contradicts the new one ({@link PromptWords}); when no path qualifies the prompt is
 * dreamed normally.
 */
public final class Planner {

    /** How many baked paths an auto-microwave blends at most, as in the original auto_microwave.py. */
    static final int MAX_SOURCES = 2;

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
     * @param reason what will happen, for the user, without the step count ("starting from the baked
     *     path of 'a red circle' (very close)"); {@link #say} adds it
     * @param sources the baked paths used, nearest first (empty for normal)
     * @param distances spherical distance of each source to the prompt, each within the planner's bound
     */
    public record Plan(Kind kind, String reason, List<BakedPath> sources, List<Double> distances) {
        public Plan {
            sources = List.copyOf(sources);
            distances = List.copyOf(distances);
        }

        /** The plan in one sentence, before the work: "starting from … (very close); 250 steps". */
        public String say(int steps) {
            return reason + "; " + steps + (steps == 1 ? " step" : " steps");
        }

        /** "from 'a red circle' and 'a blue square'" for (auto-)microwave, "" otherwise. */
        public String sourceDescription() {
            if (sources.isEmpty()) {
                return "";
            }
            return "from " + String.join(" and ", sources.stream().map(p -> "'" + p.prompt() + "'").toList());
        }
    }

    private final BakedPathStore store;
    private final double maxDistance;

    /**
     * @param maxDistance blend only baked paths at most this far from the prompt (spherical
     *     distance, 0 = same direction, π²/8 ≈ 1.23 = orthogonal)
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
            return normal("dreaming from scratch, as asked");
        }
        Optional<BakedPath> exact = store.findByPrompt(modelId, prompt);
        if (exact.isPresent()) {
            return new Plan(Kind.MICROWAVE, "microwaving the baked path of '" + exact.get().prompt()
                    + "' (this very prompt)", List.of(exact.get()), List.of(0.0));
        }
        if (mode == DreamRequest.Mode.MICROWAVE) {
            throw new InvalidInputException("'" + prompt + "' has not been baked for model " + modelId
                    + "; bake it first, or dream with mode auto");
        }
        List<BakedPathStore.Match> near = store.nearest(modelId, promptEmbedding, Integer.MAX_VALUE).stream()
                .takeWhile(m -> m.distance() <= maxDistance).toList();
        if (near.isEmpty()) {
            return normal(store.list(modelId).isEmpty() ? "nothing is baked for this model yet: dreaming from scratch"
                    : "no baked path close enough: dreaming from scratch");
        }
        List<BakedPathStore.Match> used = near.stream()
                .filter(m -> !PromptWords.contradicts(m.path().prompt(), prompt)).limit(MAX_SOURCES).toList();
        if (used.isEmpty()) {
            return normal("the closest baked prompt, '" + near.get(0).path().prompt()
                    + "', asks for something else: dreaming from scratch");
        }
        List<BakedPath> paths = used.stream()
                .map(m -> store.find(m.path().id()).orElseThrow(() -> new IllegalStateException(
                        "baked path " + m.path().id() + " vanished while planning")))
                .toList();
        String reason = "starting from the baked " + (used.size() == 1 ? "path" : "paths") + " of " + String.join(
                " and ", used.stream().map(m -> "'" + m.path().prompt() + "' (" + closeness(m.distance()) + ")").toList());
        return new Plan(Kind.AUTO_MICROWAVE, reason, paths, used.stream().map(BakedPathStore.Match::distance).toList());
    }

    /** Plain words for a distance within the bound: its nearer half is "very close". */
    private String closeness(double distance) {
        return distance <= maxDistance / 2 ? "very close" : "close";
    }

    private static Plan normal(String reason) {
        return new Plan(Kind.NORMAL, reason, List.of(), List.of());
    }
}
