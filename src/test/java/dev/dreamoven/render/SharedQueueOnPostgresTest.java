package dev.dreamoven.render;

import dev.dreamoven.store.Database;
import dev.dreamoven.testing.TestPostgres;
import java.nio.file.Path;

/** The shared queue's contract on PostgreSQL: hosts on one server, each with its own pool. */
@org.junit.jupiter.api.Tag("slow") // with the PostgreSQL server it starts, half a minute: CI runs it with -Pslow
class SharedQueueOnPostgresTest extends SharedQueueContract {

    private String url;

    @Override
    protected Database openDatabase(Path dir) {
        url = TestPostgres.newDatabaseUrl();
        return TestPostgres.open(url);
    }

    @Override
    protected Database openAgain(Path dir) {
        return TestPostgres.open(url);
    }
}
