package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import dev.dreamoven.clip.ScalarOps;

/**
 * CLIPig's saturation constraint. Saturation of a picture = mean over pixels of the mean squared
 * distance of the pixel's channels from their own mean (grey 0, pure red 2/9). The penalty is the
 * amount by which it is above {@code max} plus the amount by which it is below {@code min}.
 */
public final class SaturationPenalty {

    private SaturationPenalty() {
    }

    /** @param image {@code [B, 3, H, W]} → scalar */
    public static NDArray saturation(NDArray image) {
        NDArray grey = image.mean(new int[] {1}, true); // [B, 1, H, W]
        return image.sub(grey).square().mean();
    }

    /** @param image {@code [B, 3, H, W]} → scalar relu(sat − max) + relu(min − sat) */
    public static NDArray loss(NDArray image, double max, double min) {
        NDArray sat = saturation(image);
        NDArray above = ScalarOps.max(sat.sub((float) max), 0);
        NDArray below = ScalarOps.max(sat.neg().add((float) min), 0);
        return above.add(below);
    }
}
