package dev.dreamoven.dream;

import dev.dreamoven.image.RgbImage;
import java.util.function.Supplier;

/**
 * One finished step.
 *
 * @param step 1-based count of finished steps
 * @param totalSteps steps of the whole plan
 * @param stage 0-based stage of the plan
 * @param similarity mean cosine of this step's views to the active positive features
 * @param loss the total loss of this step (guidance plus regularizers)
 * @param preview the current picture at full size; built only when called, valid during {@code onStep}
 *     (later calls return the picture of this step only if it was already built)
 */
public record DreamProgress(int step, int totalSteps, int stage, double similarity, double loss,
        Supplier<RgbImage> preview) {

    public double fraction() {
        return totalSteps == 0 ? 1 : (double) step / totalSteps;
    }
}
