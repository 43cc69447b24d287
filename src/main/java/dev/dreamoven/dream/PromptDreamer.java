package dev.dreamoven.dream;

import dev.dreamoven.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a {@link DreamRequest} into a dream with a loaded model: resolves the preset and the
 * request's overrides into {@link DreamSettings}, embeds the prompt and the negatives, builds the
 * plan and runs the {@link Dreamer}. The CLI and Discord's render worker share it; planning with
 * baked paths can wrap {@link #plan} / {@link #settings} and call {@link #run(DreamRequest, GuidePlan, DreamListener)}.
 */
public final class PromptDreamer {

    /** Weight of each negative prompt (it repels with this weight; the prompt pulls with 1). */
    public static final double NEGATIVE_WEIGHT = 0.3;
    public static final int MAX_PROMPT_CHARS = 300;

    private final Dreamer dreamer;
    private final Function<String, float[]> textEmbedding;
    private final String defaultPreset;
    private final int defaultSize;

    /**
     * @param dreamer the loop with its model
     * @param textEmbedding prompt → raw text embedding {@code [D]} of the same model (e.g. {@code LoadedClip::embedTexts})
     * @param defaultPreset used when the request names none (config {@code dream.preset})
     * @param defaultSize used when the request gives 0 (config {@code dream.size})
     */
    public PromptDreamer(Dreamer dreamer, Function<String, float[]> textEmbedding, String defaultPreset,
            int defaultSize) {
        this.dreamer = Objects.requireNonNull(dreamer);
        this.textEmbedding = Objects.requireNonNull(textEmbedding);
        this.defaultPreset = defaultPreset == null ? "normal" : defaultPreset;
        this.defaultSize = defaultSize;
        DreamSettings.preset(this.defaultPreset); // refuse a bad configured preset now, not per request
    }

    /** What came out, with the settings that made it (for PNG metadata and reruns). */
    public record Outcome(DreamRequest request, DreamSettings settings, DreamResult result) {
    }

    /** Checks the request and resolves its settings; cheap, call it before queueing long work. */
    public DreamSettings settings(DreamRequest request) {
        validatePrompt(request.prompt(), "prompt");
        for (String n : request.negatives()) {
            validatePrompt(n, "negative prompt");
        }
        DreamSettings s = DreamSettings.preset(request.preset() == null ? defaultPreset : request.preset());
        int size = request.size() != 0 ? request.size() : defaultSize > 0 ? defaultSize : s.size();
        s = s.withSize(size);
        if (request.steps() != 0) {
            s = s.withSteps(request.steps());
        }
        return s;
    }

    private static void validatePrompt(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException("the " + what + " is empty");
        }
        if (text.length() > MAX_PROMPT_CHARS) {
            throw new InvalidInputException("the " + what + " is longer than " + MAX_PROMPT_CHARS + " characters");
        }
    }

    /** One target: the prompt, pushed away from each negative. */
    public GuidePlan plan(DreamRequest request, DreamSettings settings) {
        float[] positive = textEmbedding.apply(request.prompt().strip());
        List<float[]> negatives = new ArrayList<>();
        for (String n : request.negatives()) {
            negatives.add(textEmbedding.apply(n.strip()));
        }
        return GuidePlan.single(PromptTargets.of(request.prompt().strip(), positive, request.negatives(), negatives,
                NEGATIVE_WEIGHT), settings.steps());
    }

    /** A normal dream of the request. */
    public Outcome run(DreamRequest request, DreamListener listener) {
        DreamSettings s = settings(request);
        return new Outcome(request, s, dreamer.dream(plan(request, s), s, request.seed(), listener));
    }

    /** A dream of the request along a given plan (e.g. a microwave replay). */
    public Outcome run(DreamRequest request, GuidePlan plan, DreamListener listener) {
        DreamSettings s = settings(request);
        return new Outcome(request, s, dreamer.dream(plan, s, request.seed(), listener));
    }

    public Dreamer dreamer() {
        return dreamer;
    }
}
