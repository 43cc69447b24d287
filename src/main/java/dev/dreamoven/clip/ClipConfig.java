package dev.dreamoven.clip;

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
}
