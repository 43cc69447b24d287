package dev.dreamoven.dream;

/** Watches a dream: progress after every step, and a way to stop it between steps. */
public interface DreamListener {

    DreamListener NONE = new DreamListener() { };

    default void onStep(DreamProgress progress) {
    }

    /** Asked before every step; true stops the dream with {@link DreamCancelledException}. */
    default boolean cancelled() {
        return false;
    }
}
