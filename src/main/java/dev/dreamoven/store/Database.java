package dev.dreamoven.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Dream Oven's SQLite database on disk: a HikariCP pool in WAL mode with a busy timeout, and the
 * schema migrations {@code /db/migration/V<n>__<name>.sql} applied by Flyway, each once, in order.
 * Feature packages own their tables: render uses V10-V19, bake V20-V29, the bot V30-V39.
 *
 * <p>Databases made before Flyway kept their history in a table {@code schema_version} (one row per
 * applied file name). Such a database is adopted once: Flyway's history starts as a baseline at
 * the newest version recorded there, and the old table goes.
 */
public final class Database implements AutoCloseable {

    /** Where the migrations are, on the class path. */
    static final String MIGRATIONS = "classpath:db/migration";
    /** The history table of the hand-rolled runner that came before Flyway. */
    static final String LEGACY_HISTORY = "schema_version";
    /** The version in a migration's file name, as the old runner recorded it. */
    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

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
            db.migrate();
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

    /** Adopts a database of the old runner if this is one, then applies the migrations not yet applied. */
    void migrate() {
        try {
            OptionalInt legacy = legacyVersion();
            if (legacy.isPresent()) {
                flyway().baselineVersion(Integer.toString(legacy.getAsInt()))
                        .baselineDescription("adopted from the runner before Flyway").load().baseline();
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE " + LEGACY_HISTORY);
                }
            }
            flyway().load().migrate();
        } catch (FlywayException | SQLException e) {
            throw new StoreException("cannot migrate database " + file + ": " + e.getMessage(), e);
        }
    }

    private FluentConfiguration flyway() {
        return Flyway.configure(Database.class.getClassLoader()).dataSource(pool).locations(MIGRATIONS);
    }

    /** The newest version the old runner applied, if this database has its history and none of Flyway's. */
    private OptionalInt legacyVersion() throws SQLException {
        try (Connection c = pool.getConnection()) {
            if (!tableExists(c, LEGACY_HISTORY) || tableExists(c, "flyway_schema_history")) {
                return OptionalInt.empty();
            }
            int newest = 0;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name FROM " + LEGACY_HISTORY)) {
                while (rs.next()) {
                    Matcher m = VERSION.matcher(rs.getString(1));
                    if (m.matches()) {
                        newest = Math.max(newest, Integer.parseInt(m.group(1)));
                    }
                }
            }
            return newest == 0 ? OptionalInt.empty() : OptionalInt.of(newest);
        }
    }

    private static boolean tableExists(Connection c, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            q.setString(1, name);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
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
