package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Plain total variation: mean squared difference of horizontal neighbours plus that of vertical ones. */
public final class TotalVariation {

    private TotalVariation() {
    }

    /** {@code [B, C, H, W]} → horizontal differences {@code [B, C, H, W−1]} (right minus left). */
    static NDArray dx(NDArray image) {
        return image.get(new NDIndex(":, :, :, 1:")).sub(image.get(new NDIndex(":, :, :, :-1")));
    }

    /** {@code [B, C, H, W]} → vertical differences {@code [B, C, H−1, W]} (below minus above). */
    static NDArray dy(NDArray image) {
        return image.get(new NDIndex(":, :, 1:, :")).sub(image.get(new NDIndex(":, :, :-1, :")));
    }

    /** @param image {@code [B, C, H, W]} → scalar */
    public static NDArray loss(NDArray image) {
        return dx(image).square().mean().add(dy(image).square().mean());
    }
}
