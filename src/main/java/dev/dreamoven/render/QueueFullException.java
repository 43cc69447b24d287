package dev.dreamoven.render;

import dev.dreamoven.common.InvalidInputException;

/** The queue holds {@code render.capacity} waiting jobs already. */
public final class QueueFullException extends InvalidInputException {
    public QueueFullException(int capacity) {
        super("The oven is full (" + capacity + " jobs waiting). Please try again in a few minutes.");
    }
}
