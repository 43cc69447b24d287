package dev.dreamoven.clip;

import dev.dreamoven.common.InvalidInputException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The architecture numbers of an OpenAI-layout CLIP. All of them can be read off a state dict;
 * heads are width / 64 as in OpenAI's checkpoints (a width under 64 gets one head).
 */
public record ClipConfig(
        int embedDim,
        int imageResolution,
        int visionLayers,
        int visionWidth,
        int visionPatchSize,
        int contextLength,
        int vocabSize,
        int textWidth,
        int textLayers) {

    public ClipConfig {
        if (embedDim <= 0 || imageResolution <= 0 || visionLayers <= 0 || visionWidth <= 0
                || visionPatchSize <= 0 || contextLength <= 0 || vocabSize <= 0 || textWidth <= 0
                || textLayers <= 0) {
            throw new IllegalArgumentException("every CLIP dimension must be positive: " + this);
        }
        if (imageResolution % visionPatchSize != 0) {
            throw new IllegalArgumentException(
                    "image resolution " + imageResolution + " is not a multiple of patch " + visionPatchSize);
        }
    }

    public int visionHeads() {
        return Math.max(1, visionWidth / 64);
    }

    public int textHeads() {
        return Math.max(1, textWidth / 64);
    }

    public int gridSize() {
        return imageResolution / visionPatchSize;
    }

    private static final Pattern VISION_BLOCK = Pattern.compile("^visual\\.transformer\\.resblocks\\.(\\d+)\\.");
    private static final Pattern TEXT_BLOCK = Pattern.compile("^transformer\\.resblocks\\.(\\d+)\\.");

    /**
     * Reads every architecture number off an OpenAI-layout state dict (key → shape), as OpenAI's
     * {@code build_model} does.
     *
     * @throws InvalidInputException naming the first missing key when the dict is not a CLIP
     */
    public static ClipConfig fromStateDict(Map<String, long[]> shapes) {
        long[] conv1 = shape(shapes, "visual.conv1.weight", 4); // [Wv, 3, P, P]
        long[] visualPos = shape(shapes, "visual.positional_embedding", 2); // [grid^2 + 1, Wv]
        long[] textProjection = shape(shapes, "text_projection", 2); // [Wt, D]
        long[] textPos = shape(shapes, "positional_embedding", 2); // [context, Wt]
        long[] tokenEmbedding = shape(shapes, "token_embedding.weight", 2); // [vocab, Wt]
        long[] lnFinal = shape(shapes, "ln_final.weight", 1); // [Wt]
        shape(shapes, "visual.proj", 2);
        shape(shapes, "visual.class_embedding", 1);
        int patch = (int) conv1[2];
        long tokens = visualPos[0] - 1;
        int grid = (int) Math.round(Math.sqrt(tokens));
        if ((long) grid * grid != tokens) {
            throw new InvalidInputException("not a CLIP state dict: visual.positional_embedding has "
                    + visualPos[0] + " rows, not a square grid plus one");
        }
        int visionLayers = countBlocks(shapes, VISION_BLOCK, "visual.transformer.resblocks.0.attn.in_proj_weight");
        int textLayers = countBlocks(shapes, TEXT_BLOCK, "transformer.resblocks.0.attn.in_proj_weight");
        try {
            return new ClipConfig((int) textProjection[1], patch * grid, visionLayers, (int) conv1[0], patch,
                    (int) textPos[0], (int) tokenEmbedding[0], (int) lnFinal[0], textLayers);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("not a CLIP state dict: " + e.getMessage(), e);
        }
    }

    private static long[] shape(Map<String, long[]> shapes, String key, int rank) {
        long[] s = shapes.get(key);
        if (s == null) {
            throw new InvalidInputException("not a CLIP state dict: it has no tensor '" + key + "'");
        }
        if (s.length != rank) {
            throw new InvalidInputException("not a CLIP state dict: '" + key + "' has " + s.length
                    + " dimensions, expected " + rank);
        }
        return s;
    }

    private static int countBlocks(Map<String, long[]> shapes, Pattern block, String firstKey) {
        int max = -1;
        for (String key : shapes.keySet()) {
            Matcher m = block.matcher(key);
            if (m.find()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        if (max < 0) {
            throw new InvalidInputException("not a CLIP state dict: it has no tensor '" + firstKey + "'");
        }
        return max + 1;
    }
}
