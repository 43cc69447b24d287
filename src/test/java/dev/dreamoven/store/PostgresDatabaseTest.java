package dev.dreamoven.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.common.UnavailableException;
import dev.dreamoven.lab.postgres.TempPostgres;
import dev.dreamoven.testing.TestPostgres;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostgresDatabaseTest {

    @Test
    void aFreshDatabaseGetsEveryMigrationWithTheSameNumbersAsSqlite() throws Exception {
        try (Database db = TestPostgres.openNewDatabase(); Connection c = db.connection()) {
            assertThat(db.dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
            assertThat(history(c)).containsExactly("10 render jobs", "20 baked index", "30 discord messages",
                    "31 reply tokens", "32 delivery tries", "33 leases", "34 baked content", "35 previews");
            assertThat(columns(c, "jobs")).contains("id bigint", "created_at bigint", "delivery_tries integer",
                    "worker text", "lease_until bigint", "claim integer", "cancel_requested integer",
                    "delivery_lease_until bigint", "notice text");
            assertThat(columns(c, "baked_paths")).contains("created_at bigint", "score double precision",
                    "prompt_embedding bytea", "content bytea");
            assertThat(columns(c, "discord_messages")).contains("job_id bigint");
            assertThat(columns(c, "reply_tokens")).contains("expires_at bigint");
        }
    }

    @Test
    void aSecondOpenFindsNothingToMigrate() throws Exception {
        String url = TestPostgres.newDatabaseUrl();
        TestPostgres.open(url).close();
        try (Database db = TestPostgres.open(url); Connection c = db.connection()) {
            assertThat(history(c)).hasSize(8);
        }
    }

    @Test
    void aJobIdAndTimesBeyondThirtyTwoBitsFit() throws Exception {
        try (Database db = TestPostgres.openNewDatabase(); Connection c = db.connection();
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO jobs (id, kind, priority, requester, request_json, status, created_at, lease_until)"
                    + " VALUES (5000000000, 'DREAM', 0, 'ann', '{}', 'queued', 1764650000000, 1764650060000)");
            try (ResultSet rs = s.executeQuery("SELECT created_at FROM jobs WHERE id = 5000000000")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1764650000000L);
            }
        }
    }

    @Test
    void aPostgresDatabaseHasNoFile() {
        try (Database db = TestPostgres.openNewDatabase()) {
            assertThat(db.fileIfAny()).isEmpty();
            assertThatThrownBy(db::file).isInstanceOf(IllegalStateException.class).hasMessageContaining("PostgreSQL");
        }
    }

    @Test
    void aWrongPasswordIsOneLineThatNamesTheUserButNotThePassword() {
        TempPostgres pg = TestPostgres.cluster();
        String wrong = "not-the-password-" + pg.password().substring(0, 6);
        assertThatThrownBy(() -> Database.open(pg.url("postgres"), TempPostgres.USER, wrong))
                .isInstanceOf(UnavailableException.class)
                .hasMessageStartingWith("PostgreSQL at 127.0.0.1:" + pg.port() + " refused the login of user "
                        + TempPostgres.USER)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain(pg.password())
                        .doesNotContain("\n"));
    }

    @Test
    void aServerThatIsNotThereIsOneLineNamingHostAndPort() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertThatThrownBy(() -> Database.open("jdbc:postgresql://127.0.0.1:" + closed + "/dreamoven", "ann",
                "s3cret-pw"))
                .isInstanceOf(UnavailableException.class)
                .hasMessageStartingWith("cannot reach PostgreSQL at 127.0.0.1:" + closed + ": ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret-pw").doesNotContain("\n"));
    }

    @Test
    void aMissingDatabaseIsNamed() {
        TempPostgres pg = TestPostgres.cluster();
        assertThatThrownBy(() -> Database.open(pg.url("no_such_db"), TempPostgres.USER, pg.password()))
                .isInstanceOf(UnavailableException.class)
                .hasMessage("PostgreSQL at 127.0.0.1:" + pg.port() + " has no database 'no_such_db': create it "
                        + "(createdb no_such_db) or fix store.url");
    }

    @Test
    void aUrlThatIsNotPostgresIsRefused() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://db/x?password=s3cret-pw", "ann", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("jdbc:mysql://db/x");
    }

    private static List<String> history(Connection c) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT version, description FROM flyway_schema_history WHERE success ORDER BY installed_rank")) {
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return rows;
    }

    /** "name type" of each column of a table in the public schema. */
    private static List<String> columns(Connection c, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT column_name, data_type FROM information_schema.columns"
                + " WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position")) {
            s.setString(1, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return out;
    }
}
