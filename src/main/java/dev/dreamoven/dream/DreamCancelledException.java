package dev.dreamoven.dream;

/** The listener asked to stop; thrown between steps, nothing half-made is returned. */
public final class DreamCancelledException extends RuntimeException {
    public DreamCancelledException(int step) {
        super("dream cancelled after " + step + " steps");
    }
}
