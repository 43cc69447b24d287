package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.dreamoven.clip.ClipImages;
import dev.dreamoven.clip.ClipModel;
import dev.dreamoven.image.RgbImage;

/**
 * How well a finished picture matches a text embedding: cosine of the whole picture, resized to the
 * model's input, to the target. Scores bakes and evaluations on the same footing as the dream's own
 * final similarity.
 */
public final class PictureSimilarity {

    private final ClipModel model;

    public PictureSimilarity(ClipModel model) {
        this.model = model;
    }

    /** The picture's normalized embedding, {@code [D]}. */
    public float[] embed(RgbImage picture) {
        try (NDManager scope = NDManager.newBaseManager(model.device(), "PyTorch")) {
            NDArray image = scope.create(picture.data(), new Shape(1, 3, picture.height(), picture.width()));
            NDArray view = Cutouts.resize(image, model.imageResolution()); // [1, 3, R, R]
            return SphericalDistanceLoss.normalize(model.encodeImage(ClipImages.normalize(view))).toFloatArray();
        }
    }

    public double cosine(RgbImage picture, float[] target) {
        return SphericalDistanceLoss.cosineOf(embed(picture), target);
    }
}
