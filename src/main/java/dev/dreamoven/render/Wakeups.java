package dev.dreamoven.render;

import dev.dreamoven.store.Database;

/** Wakes a waiting worker or bot when another process queues or finishes a job; polling covers the rest. */
final class Wakeups {

    private Wakeups() {
    }

    /** Calls {@code wake} on each notification of {@code channel}; SQLite has none (its one process wakes itself). */
    static AutoCloseable listen(Database db, String channel, Runnable wake) {
        return () -> {
        };
    }
}
