package dev.dreamoven.dream;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The arrays a pixel optimizer keeps between steps (moments, momentum): zeros of the picture's
 * shape in a manager of their own, made again after a reset or when the picture changes size (a new
 * octave), and counted steps since then.
 */
final class OptimizerState implements AutoCloseable {

    private final NDManager parent;
    private final int count;
    private NDManager manager;
    private NDArray[] arrays;
    private int steps;

    /** @param count how many arrays the optimizer keeps */
    OptimizerState(NDManager parent, int count) {
        this.parent = parent;
        this.count = count;
    }

    /**
     * Starts a step: the state arrays for {@code param}'s shape, lent to {@code scratch} for the step
     * so temporaries made from them land there (they return to the state's manager when it closes).
     */
    NDArray[] begin(NDArray param, NDManager scratch) {
        if (arrays == null || !arrays[0].getShape().equals(param.getShape())) {
            reset();
            manager = parent.newSubManager();
            arrays = new NDArray[count];
            for (int i = 0; i < count; i++) {
                arrays[i] = manager.zeros(param.getShape());
            }
        }
        for (NDArray a : arrays) {
            a.tempAttach(scratch);
        }
        steps++;
        return arrays;
    }

    /** Steps begun since creation or the last reset. */
    int steps() {
        return steps;
    }

    void reset() {
        if (manager != null) {
            manager.close();
        }
        manager = null;
        arrays = null;
        steps = 0;
    }

    @Override
    public void close() {
        reset();
    }
}
