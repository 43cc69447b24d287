package dev.dreamoven.bake;

import dev.dreamoven.common.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A baked path: K stage target vectors that a microwave run guides toward, one stage after the
 * other, for one prompt under one model. A path only ever serves the model it was baked for
 * ({@link #modelId()}, e.g. "shapes" or "ViT-B-32"): its vectors live in that model's embedding space.
 *
 * <p>The id is derived from model id and prompt key ({@link #promptKey}), so baking the same
 * prompt again for the same model replaces the old path. The record copies its arrays and map
 * on the way in and on the way out; it is immutable.
 *
 * @param stages [K, D], K ≥ 1 stage vectors of equal dimension D, all finite
 * @param resolution side in pixels of the pictures the path was baked at
 * @param score quality measured when baking; NaN when unknown
 */
public record BakedPath(String id, String prompt, String modelId, int resolution, float[][] stages,
                        Map<String, String> settings, double score, String author, Instant createdAt) {

    /** Longest prompt accepted, in characters. */
    public static final int MAX_PROMPT_LENGTH = 300;
    /** Longest model id accepted, in characters. */
    public static final int MAX_MODEL_ID_LENGTH = 100;

    public BakedPath {
        validatePrompt(prompt);
        validateModelId(modelId);
        Objects.requireNonNull(id, "id");
        if (!id.equals(idFor(modelId, prompt))) {
            throw new IllegalArgumentException("id " + id + " is not the id of model " + modelId
                    + " and prompt \"" + prompt + "\" (" + idFor(modelId, prompt) + ")");
        }
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be positive, got " + resolution);
        }
        stages = copyStages(stages);
        settings = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(settings, "settings")));
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A path whose id is derived from model id and prompt. */
    public static BakedPath of(String prompt, String modelId, int resolution, float[][] stages,
                               Map<String, String> settings, double score, String author, Instant createdAt) {
        return new BakedPath(idFor(modelId, prompt), prompt, modelId, resolution, stages, settings, score,
                author, createdAt);
    }

    /** K, the number of stages. */
    public int stageCount() {
        return stages.length;
    }

    /** D, the dimension of each stage vector. */
    public int dimension() {
        return stages[0].length;
    }

    /** A copy of stage {@code k}, [D]. */
    public float[] stage(int k) {
        return stages[k].clone();
    }

    /** A copy of the stages, [K, D]. */
    @Override
    public float[][] stages() {
        return copyStages(stages);
    }

    /** The same path with another score (e.g. once it has been measured). */
    public BakedPath withScore(double newScore) {
        return new BakedPath(id, prompt, modelId, resolution, stages, settings, newScore, author, createdAt);
    }

    /**
     * The prompt as looked up: whitespace runs collapsed to one space, trimmed, lower-case. Two
     * prompts with the same key are the same prompt for baking.
     */
    public static String promptKey(String prompt) {
        return prompt.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** The stable id of the path for this model and prompt: 16 hex digits of SHA-256. */
    public static String idFor(String modelId, String prompt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((modelId + "\n" + promptKey(prompt)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Refuses prompts that cannot be baked: empty, longer than {@value #MAX_PROMPT_LENGTH}
     * characters, or holding NUL or other control characters (newlines and tabs included) or
     * formatting characters such as the right-to-left override U+202E.
     * Text such as {@code ../../etc/passwd} is fine: file names are slugs, never the prompt.
     */
    public static void validatePrompt(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new InvalidInputException("the prompt is empty");
        }
        if (prompt.length() > MAX_PROMPT_LENGTH) {
            throw new InvalidInputException("the prompt is " + prompt.length() + " characters long; at most "
                    + MAX_PROMPT_LENGTH + " can be baked");
        }
        int bad = firstControlCharacter(prompt);
        if (bad >= 0) {
            throw new InvalidInputException(String.format(
                    "the prompt holds a control character (U+%04X at position %d); use plain text", (int) prompt.charAt(bad), bad));
        }
    }

    static void validateModelId(String modelId) {
        if (modelId == null || modelId.isBlank() || modelId.length() > MAX_MODEL_ID_LENGTH
                || firstControlCharacter(modelId) >= 0) {
            throw new IllegalArgumentException("invalid model id: " + (modelId == null ? "null"
                    : "\"" + modelId.replaceAll("\\p{Cntrl}", "?") + "\""));
        }
    }

    private static int firstControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // Format characters include the bidirectional overrides (U+202E) that make a prompt read
            // differently from what it is; /dream refuses them too.
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT) {
                return i;
            }
        }
        return -1;
    }

    private static float[][] copyStages(float[][] stages) {
        Objects.requireNonNull(stages, "stages");
        if (stages.length < 1) {
            throw new IllegalArgumentException("a baked path needs at least one stage");
        }
        Objects.requireNonNull(stages[0], "stage 0");
        int d = stages[0].length;
        if (d < 1) {
            throw new IllegalArgumentException("stage vectors must not be empty");
        }
        float[][] copy = new float[stages.length][];
        for (int k = 0; k < stages.length; k++) {
            Objects.requireNonNull(stages[k], "stage " + k);
            if (stages[k].length != d) {
                throw new IllegalArgumentException("stage " + k + " has dimension " + stages[k].length
                        + ", stage 0 has " + d);
            }
            for (float v : stages[k]) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("stage " + k + " holds a non-finite value");
                }
            }
            copy[k] = stages[k].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BakedPath p && id.equals(p.id) && prompt.equals(p.prompt) && modelId.equals(p.modelId)
                && resolution == p.resolution && Arrays.deepEquals(stages, p.stages) && settings.equals(p.settings)
                && Double.compare(score, p.score) == 0 && author.equals(p.author) && createdAt.equals(p.createdAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, prompt, modelId, resolution, Arrays.deepHashCode(stages), settings, score, author,
                createdAt);
    }

    @Override
    public String toString() {
        return "BakedPath[" + id + " \"" + prompt + "\" " + modelId + " " + stages.length + "x" + stages[0].length
                + " @" + resolution + "px score=" + score + " by " + author + " " + createdAt + "]";
    }
}
