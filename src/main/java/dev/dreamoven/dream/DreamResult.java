package dev.dreamoven.dream;

import dev.dreamoven.image.RgbImage;
import java.util.List;
import java.util.Map;

/**
 * A finished dream.
 *
 * @param image the raw picture clamped to [0, 1], {@code size × size}; quantizing is the image package's job
 * @param similarity mean cosine of the final picture (whole-image view) to the positive features of
 *     the last stage's targets that are active at the end
 * @param featureWins per {@code "target/feature"} of select-best targets: how many views it won
 * @param frames timelapse, every {@code frameEvery} steps plus the final picture, all full size
 * @param imageEmbeddingPerStep {@code [steps][D]}: the mean of each step's normalized view embeddings
 * @param seconds wall time of the optimization
 * @param steps steps run
 */
public record DreamResult(RgbImage image, double similarity, Map<String, Integer> featureWins, List<RgbImage> frames,
        float[][] imageEmbeddingPerStep, double seconds, int steps) {

    public DreamResult {
        featureWins = Map.copyOf(featureWins);
        frames = List.copyOf(frames);
    }
}
