package dev.dreamoven.testing;

import ai.djl.ndarray.NDArray;
import dev.dreamoven.clip.ClipConfig;
import dev.dreamoven.clip.ClipModel;

/** A CLIP model that hands everything to another; tests override the call they want to disturb. */
public abstract class DelegatingClip implements ClipModel {

    protected final ClipModel model;

    protected DelegatingClip(ClipModel model) {
        this.model = model;
    }

    @Override
    public String id() {
        return model.id();
    }

    @Override
    public ClipConfig config() {
        return model.config();
    }

    @Override
    public ai.djl.Device device() {
        return model.device();
    }

    @Override
    public dev.dreamoven.clip.TowerPrecision precision() {
        return model.precision();
    }

    @Override
    public NDArray encodeImage(NDArray pixels) {
        return model.encodeImage(pixels);
    }

    @Override
    public NDArray encodeText(NDArray tokens) {
        return model.encodeText(tokens);
    }

    /** Does not close the wrapped model: its owner does. */
    @Override
    public void close() {
    }
}
