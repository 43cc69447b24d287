package dev.dreamoven.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dreamoven.lab.postgres.TempPostgres;
import dev.dreamoven.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One throwaway PostgreSQL cluster per test JVM ({@link TempPostgres}, started at first use, stopped
 * by its shutdown hook), and a fresh database in it per caller. Where PostgreSQL is not installed the
 * tests are skipped with a visible message, except in CI ({@code DREAMOVEN_REQUIRE_POSTGRES=true}),
 * where its absence fails them.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TempPostgres cluster;

    private TestPostgres() {
    }

    /** The shared cluster; skips (or, in CI, fails) the calling test where PostgreSQL is not installed. */
    public static synchronized TempPostgres cluster() {
        if (!TempPostgres.available()) {
            String msg = "PostgreSQL (initdb, pg_ctl) is not installed";
            if (Boolean.parseBoolean(System.getenv("DREAMOVEN_REQUIRE_POSTGRES"))) {
                throw new AssertionError(msg + " and DREAMOVEN_REQUIRE_POSTGRES=true");
            }
            System.err.println("SKIPPED: " + msg);
            assumeTrue(false, msg);
        }
        if (cluster == null) {
            try {
                cluster = TempPostgres.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a temp PostgreSQL: " + e.getMessage(), e);
            }
        }
        return cluster;
    }

    /** The JDBC URL of a new, empty database of the shared cluster. */
    public static String newDatabaseUrl() {
        return cluster().createDatabase("test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet());
    }

    /** Opens (and so migrates) a new, empty database of the shared cluster; close it when done. */
    public static Database openNewDatabase() {
        return open(newDatabaseUrl());
    }

    /** Opens a database of the shared cluster by URL, as its superuser. */
    public static Database open(String url) {
        return Database.open(url, TempPostgres.USER, cluster().password());
    }
}
