package dev.dreamoven.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Dream Oven's SQLite database on disk: a HikariCP pool in WAL mode with a busy timeout, and the
 * schema migrations {@code /db/migration/V<n>__<name>.sql} applied in order, each once.
 * Feature packages own their tables: render uses V10-V19, bake V20-V29, discord V30-V39.
 */
public final class Database implements AutoCloseable {

    /** Every migration shipped, in order. A new one is added here and as a resource. */
    static final List<String> MIGRATIONS = List.of(
            "V10__render_jobs.sql",
            "V20__baked_index.sql",
            "V30__discord_messages.sql");

    private final HikariDataSource pool;
    private final Path file;

    private Database(Path file, HikariDataSource pool) {
        this.file = file;
        this.pool = pool;
    }

    /** Opens (creating if needed) the database file and brings its schema up to date. */
    public static Database open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of database " + file, e);
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:sqlite:" + file.toAbsolutePath());
        hc.setPoolName("dreamoven-db");
        hc.setMaximumPoolSize(4);
        hc.setMinimumIdle(1);
        hc.setConnectionInitSql("PRAGMA foreign_keys = ON");
        hc.addDataSourceProperty("journal_mode", "WAL");
        hc.addDataSourceProperty("busy_timeout", "10000");
        hc.addDataSourceProperty("synchronous", "NORMAL");
        HikariDataSource ds = new HikariDataSource(hc);
        Database db = new Database(file, ds);
        try {
            db.migrate(MIGRATIONS);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return db;
    }

    public DataSource dataSource() {
        return pool;
    }

    public Path file() {
        return file;
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Applies the named migration resources not yet applied, each in its own transaction. */
    void migrate(List<String> names) {
        try (Connection c = pool.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)");
            }
            for (String name : names) {
                try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM schema_version WHERE name = ?")) {
                    q.setString(1, name);
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next()) {
                            continue;
                        }
                    }
                }
                String sql = readResource("/db/migration/" + name);
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    for (String stmt : sql.split(";\\s*(\\r?\\n|$)")) {
                        if (!stmt.isBlank()) {
                            s.execute(stmt);
                        }
                    }
                    try (PreparedStatement ins = c.prepareStatement(
                            "INSERT INTO schema_version(name, applied_at) VALUES (?, ?)")) {
                        ins.setString(1, name);
                        ins.setLong(2, System.currentTimeMillis());
                        ins.executeUpdate();
                    }
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw new StoreException("migration " + name + " failed: " + e.getMessage(), e);
                } finally {
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readResource(String path) {
        try (InputStream in = Database.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new StoreException("migration resource " + path + " is missing", null);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A database operation failed. */
    public static final class StoreException extends RuntimeException {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
