package dev.dreamoven.render;

import dev.dreamoven.store.Database;
import java.nio.file.Path;

/** The shared queue's contract on SQLite: several processes of one host on one database file. */
class SharedQueueOnSqliteTest extends SharedQueueContract {

    @Override
    protected Database openDatabase(Path dir) {
        return Database.open(dir.resolve("queue.db"));
    }

    @Override
    protected Database openAgain(Path dir) {
        return Database.open(dir.resolve("queue.db"));
    }
}
