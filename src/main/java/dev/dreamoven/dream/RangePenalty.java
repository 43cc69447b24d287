package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;

/** {@code mean((z − clamp(z, 0, 1))²)}: pulls values that left the displayable range back in. */
public final class RangePenalty {

    private RangePenalty() {
    }

    /** @param image any shape → scalar */
    public static NDArray loss(NDArray image) {
        return image.sub(image.clip(0f, 1f)).square().mean();
    }
}
