package dev.dreamoven.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    private static final List<String> FILES = List.of("V10__render_jobs.sql", "V20__baked_index.sql",
            "V30__discord_messages.sql");

    @Test
    void opensAFileOnDiskInWalModeWithABusyTimeout(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/dream.db");
        try (Database db = Database.open(file); Connection c = db.connection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA busy_timeout")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(10000);
            }
        }
        assertThat(file).exists();
    }

    @Test
    void aNewDatabaseGetsEveryMigrationOnceAndOpensAgain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("new.db");
        Database.open(file).close();
        try (Database db = Database.open(file); Connection c = db.connection()) {
            assertThat(history(c)).containsExactly("10 render jobs", "20 baked index", "30 discord messages",
                    "31 reply tokens", "32 delivery tries", "33 leases", "34 baked content", "35 previews");
            assertThat(db.dialect()).isEqualTo(Database.Dialect.SQLITE);
            assertThat(db.fileIfAny()).contains(file);
            assertThat(tables(c)).contains("jobs", "baked_paths", "discord_messages", "reply_tokens")
                    .doesNotContain("schema_version");
        }
    }

    /** A database as the runner before Flyway left it: its tables, a job, and its own history table. */
    @Test
    void aDatabaseOfTheRunnerBeforeFlywayIsAdoptedWithItsData(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE schema_version (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
            for (String name : FILES) {
                String sql = new String(Database.class.getResourceAsStream("/db/migration/" + name).readAllBytes(),
                        StandardCharsets.UTF_8);
                for (String statement : sql.split(";\\s*(\\r?\\n|$)")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
                s.execute("INSERT INTO schema_version VALUES ('" + name + "', 1)");
            }
            s.execute("INSERT INTO jobs (kind, priority, requester, request_json, status, created_at) "
                    + "VALUES ('DREAM', 0, 'ann', '{}', 'queued', 1)");
        }
        for (int open = 0; open < 2; open++) {
            try (Database db = Database.open(file); Connection c = db.connection(); Statement s = c.createStatement()) {
                assertThat(history(c)).containsExactly("30 adopted from the runner before Flyway", "31 reply tokens",
                        "32 delivery tries", "33 leases", "34 baked content", "35 previews");
                assertThat(tables(c)).doesNotContain("schema_version");
                try (ResultSet rs = s.executeQuery("SELECT requester FROM jobs")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("ann");
                }
            }
        }
    }

    private static List<String> history(Connection c) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT version, description FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return rows;
    }

    private static List<String> tables(Connection c) throws Exception {
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Test
    void aDatabaseThatCannotBeWrittenIsRefusedWhenItOpensWithOneLine(@TempDir Path dir) {
        Path file = dir.resolve("ro.db");
        Database.open(file).close();
        // SQLITE_OPEN_READONLY: what SQLite falls back to for a file or volume it may not write
        assertThatThrownBy(() -> Database.open(file, java.util.Map.of("mode", "ro")))
                .isInstanceOf(dev.dreamoven.common.UnavailableException.class)
                .hasMessage("database " + file + " cannot be written (a read-only file, folder or volume?): give "
                        + "Dream Oven write access to it, or point store.database elsewhere");
    }

    @Test
    void aReadOnlyFileIsRefusedWhenItOpens(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root writes read-only files; the test above opens the file read-only instead");
        Path file = dir.resolve("ro.db");
        Database.open(file).close();
        java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        assertThatThrownBy(() -> Database.open(file)).isInstanceOf(dev.dreamoven.common.UnavailableException.class)
                .hasMessageStartingWith("database " + file + " cannot be written");
    }

    @Test
    void writeTransactionsBeginImmediate(@TempDir Path dir) throws Exception {
        try (Database db = Database.open(dir.resolve("t.db")); Connection a = db.connection();
                Connection b = db.connection()) {
            a.setAutoCommit(false);
            try (Statement s = a.createStatement()) {
                s.executeQuery("SELECT COUNT(*) FROM jobs").close(); // a reader no more: it holds the write lock
            }
            long start = System.nanoTime();
            try (Statement s = b.createStatement()) {
                s.execute("PRAGMA busy_timeout = 200");
                assertThatThrownBy(() -> {
                    b.setAutoCommit(false);
                    b.createStatement().executeQuery("SELECT COUNT(*) FROM jobs").close();
                }).hasMessageContaining("SQLITE_BUSY");
            }
            assertThat(System.nanoTime() - start).as("b waited for the lock").isGreaterThan(150_000_000L);
            a.rollback();
        }
    }
}
