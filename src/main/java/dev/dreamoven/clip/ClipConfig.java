package dev.dreamoven.clip;

import dev.dreamoven.common.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The architecture numbers of an OpenAI-layout CLIP: the image tower ({@link ImageTower.Vit} or
 * {@link ImageTower.ResNet}) and the text transformer. All of them can be read off a state dict;
 * text heads are width / 64 as in OpenAI's checkpoints (a width under 64 gets one head).
 */
public record ClipConfig(
        int embedDim,
        int imageResolution,
        ImageTower vision,
        int contextLength,
        int vocabSize,
        int textWidth,
        int textLayers) {

    public ClipConfig {
        if (vision == null) {
            throw new IllegalArgumentException("a CLIP needs an image tower");
        }
        if (embedDim <= 0 || imageResolution <= 0 || contextLength <= 0 || vocabSize <= 0 || textWidth <= 0
                || textLayers <= 0) {
            throw new IllegalArgumentException("every CLIP dimension must be positive: " + this);
        }
        vision.checkResolution(imageResolution);
    }

    /** A CLIP with a ViT image tower (the numbers of openai/CLIP's {@code build_model}, in its order). */
    public ClipConfig(int embedDim, int imageResolution, int visionLayers, int visionWidth, int visionPatchSize,
            int contextLength, int vocabSize, int textWidth, int textLayers) {
        this(embedDim, imageResolution, new ImageTower.Vit(visionLayers, visionWidth, visionPatchSize), contextLength,
                vocabSize, textWidth, textLayers);
    }

    /** The ViT image tower. @throws IllegalStateException when the tower is a ResNet */
    public ImageTower.Vit vit() {
        if (vision instanceof ImageTower.Vit v) {
            return v;
        }
        throw new IllegalStateException("this CLIP has a " + vision + " image tower, not a ViT");
    }

    /** The tower's width (ViT token width, ResNet stem width). */
    public int visionWidth() {
        return vision.width();
    }

    public int visionHeads() {
        return vision.heads();
    }

    /** ViT blocks. @throws IllegalStateException for a ResNet tower (see {@link ImageTower.ResNet#layers}) */
    public int visionLayers() {
        return vit().layers();
    }

    /** ViT patch side. @throws IllegalStateException for a ResNet tower, which has no patches */
    public int visionPatchSize() {
        return vit().patchSize();
    }

    /** ViT patches per side. @throws IllegalStateException for a ResNet tower */
    public int gridSize() {
        return vit().gridSize(imageResolution);
    }

    public int textHeads() {
        return Math.max(1, textWidth / 64);
    }

    private static final Pattern VISION_BLOCK = Pattern.compile("^visual\\.transformer\\.resblocks\\.(\\d+)\\.");
    private static final Pattern TEXT_BLOCK = Pattern.compile("^transformer\\.resblocks\\.(\\d+)\\.");
    private static final Pattern RESNET_BLOCK = Pattern.compile("^visual\\.layer([1-4])\\.(\\d+)\\.");

    /**
     * Reads every architecture number off an OpenAI-layout state dict (key → shape), as OpenAI's
     * {@code build_model} does: a dict with {@code visual.proj} has a ViT tower; one without it but
     * with {@code visual.layer1.*} tensors has a ModifiedResNet tower; anything else is read as a
     * ViT, so the error names the first ViT tensor it lacks.
     *
     * @throws InvalidInputException naming the first missing key when the dict is not a CLIP
     */
    public static ClipConfig fromStateDict(Map<String, long[]> shapes) {
        boolean resnet = !shapes.containsKey("visual.proj")
                && shapes.keySet().stream().anyMatch(k -> k.startsWith("visual.layer1."));
        Tower tower = resnet ? resNetFromStateDict(shapes) : vitFromStateDict(shapes);
        long[] textProjection = shape(shapes, "text_projection", 2); // [Wt, D]
        long[] textPos = shape(shapes, "positional_embedding", 2); // [context, Wt]
        long[] tokenEmbedding = shape(shapes, "token_embedding.weight", 2); // [vocab, Wt]
        long[] lnFinal = shape(shapes, "ln_final.weight", 1); // [Wt]
        int textLayers = countBlocks(shapes, TEXT_BLOCK, "transformer.resblocks.0.attn.in_proj_weight");
        try {
            return new ClipConfig((int) textProjection[1], tower.resolution(), tower.vision(), (int) textPos[0],
                    (int) tokenEmbedding[0], (int) lnFinal[0], textLayers);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("not a CLIP state dict: " + e.getMessage(), e);
        }
    }

    /** An image tower read off a state dict, with the image side it takes. */
    private record Tower(ImageTower vision, int resolution) {
    }

    private static Tower vitFromStateDict(Map<String, long[]> shapes) {
        long[] conv1 = shape(shapes, "visual.conv1.weight", 4); // [Wv, 3, P, P]
        long[] visualPos = shape(shapes, "visual.positional_embedding", 2); // [grid^2 + 1, Wv]
        int grid = squareGrid(visualPos, "visual.positional_embedding");
        shape(shapes, "visual.proj", 2);
        shape(shapes, "visual.class_embedding", 1);
        int patch = (int) conv1[2];
        int layers = countBlocks(shapes, VISION_BLOCK, "visual.transformer.resblocks.0.attn.in_proj_weight");
        try {
            return new Tower(new ImageTower.Vit(layers, (int) conv1[0], patch), patch * grid);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("not a CLIP state dict: " + e.getMessage(), e);
        }
    }

    /** As {@code build_model}: blocks per stage, the width of layer1's first convolution, 32 × the pool grid. */
    private static Tower resNetFromStateDict(Map<String, long[]> shapes) {
        long[] conv1 = shape(shapes, "visual.layer1.0.conv1.weight", 4); // [w, w, 1, 1]
        long[] poolPos = shape(shapes, "visual.attnpool.positional_embedding", 2); // [grid^2 + 1, 32w]
        int grid = squareGrid(poolPos, "visual.attnpool.positional_embedding");
        List<TreeSet<Integer>> blocks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            blocks.add(new TreeSet<>());
        }
        for (String key : shapes.keySet()) {
            Matcher m = RESNET_BLOCK.matcher(key);
            if (m.find()) {
                blocks.get(Integer.parseInt(m.group(1)) - 1).add(Integer.parseInt(m.group(2)));
            }
        }
        List<Integer> layers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (blocks.get(i).isEmpty()) {
                throw new InvalidInputException("not a CLIP state dict: it has no tensor 'visual.layer" + (i + 1)
                        + ".0.conv1.weight'");
            }
            layers.add(blocks.get(i).size());
        }
        try {
            return new Tower(new ImageTower.ResNet(layers, (int) conv1[0]), ImageTower.ResNet.REDUCTION * grid);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("not a CLIP state dict: " + e.getMessage(), e);
        }
    }

    private static int squareGrid(long[] positional, String key) {
        long tokens = positional[0] - 1;
        int grid = (int) Math.round(Math.sqrt(tokens));
        if (grid <= 0 || (long) grid * grid != tokens) {
            throw new InvalidInputException("not a CLIP state dict: " + key + " has " + positional[0]
                    + " rows, not a square grid plus one");
        }
        return grid;
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
