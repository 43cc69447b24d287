package dev.dreamoven.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dreamoven.common.IoErrors;
import dev.dreamoven.common.UnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Dream Oven's SQLite database on disk: a HikariCP pool in WAL mode with a busy timeout, and the
 * schema migrations {@code /db/migration/V<n>__<name>.sql} applied by Flyway, each once, in order.
 * Feature packages own their tables: render uses V10-V19, bake V20-V29, the bot V30-V39.
 *
 * <p>Every transaction begins {@code IMMEDIATE}: it takes the write lock first, waiting up to the
 * busy timeout for it. (A deferred transaction that reads and then writes fails at once with
 * {@code SQLITE_BUSY_SNAPSHOT} when another connection wrote in between; the timeout never
 * applies.) A database that cannot be written (a read-only file or volume) is refused when it
 * opens, and a full disk is named as such ({@link #diskFull}, {@link #explain}).
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

    /** Opens (creating if needed) the database file, brings its schema up to date and checks it can be written. */
    public static Database open(Path file) {
        return open(file, Map.of());
    }

    /**
     * {@link #open(Path)} with extra sqlite-jdbc connection options, e.g. {@code max_page_count}
     * (tests use it to fill the database); {@code mode} is SQLite's URI parameter ({@code ro} opens
     * the file read-only, as SQLite does by itself with a file it may not write).
     *
     * @throws UnavailableException when the database cannot be written or the disk is full
     */
    public static Database open(Path file, Map<String, String> sqliteOptions) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot create the folder of database " + file + ": " + IoErrors.reason(e), e);
        }
        HikariConfig hc = new HikariConfig();
        String mode = sqliteOptions.get("mode");
        hc.setJdbcUrl(mode == null ? "jdbc:sqlite:" + file.toAbsolutePath()
                : "jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=" + mode);
        if (mode != null) {
            hc.addDataSourceProperty("open_mode", "70"); // read-write, create, and URI file names
        }
        hc.setPoolName("dreamoven-db");
        hc.setMaximumPoolSize(4);
        hc.setMinimumIdle(1);
        hc.setConnectionInitSql("PRAGMA foreign_keys = ON");
        hc.addDataSourceProperty("journal_mode", "WAL");
        hc.addDataSourceProperty("busy_timeout", "10000");
        hc.addDataSourceProperty("synchronous", "NORMAL");
        hc.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        sqliteOptions.forEach((k, v) -> {
            if (!k.equals("mode")) {
                hc.addDataSourceProperty(k, v);
            }
        });
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw unavailable(file, e);
        }
        Database db = new Database(file, ds);
        try {
            db.migrate();
            db.checkWritable();
        } catch (RuntimeException e) {
            ds.close();
            throw unavailable(file, e);
        }
        return db;
    }

    /** An exception that says in one line why the database cannot be used, if it is a read-only or full one. */
    private static RuntimeException unavailable(Path file, RuntimeException e) {
        if (e instanceof UnavailableException) {
            return e;
        }
        if (hasCode(e, SQLiteErrorCode.SQLITE_READONLY) || hasCode(e, SQLiteErrorCode.SQLITE_CANTOPEN)) {
            return new UnavailableException("database " + file + " cannot be written (a read-only file, folder or "
                    + "volume?): give Dream Oven write access to it, or point store.database elsewhere", e);
        }
        if (diskFull(e)) {
            return new UnavailableException("the disk holding database " + file + " is full: free some space", e);
        }
        return e;
    }

    /**
     * Writes and rolls back: a read-only database fails here, not at the first job. (Taking the
     * write lock alone succeeds on a read-only file.)
     */
    private void checkWritable() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                s.execute("CREATE TABLE dreamoven_write_check (x INTEGER)");
            } finally {
                s.execute("ROLLBACK");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot write database " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code t}, or anything it was caused by or suppressed, says the disk (or database) is full. */
    public static boolean diskFull(Throwable t) {
        return hasCode(t, SQLiteErrorCode.SQLITE_FULL) || anyCause(t, c -> c instanceof IOException io
                && io.getMessage() != null && io.getMessage().contains("No space left on device"));
    }

    /** One line for the operator: "the disk is full" where it is, else the root cause's message. */
    public static String explain(Throwable t) {
        if (diskFull(t)) {
            return "the disk is full (no space left for the database or the pictures): free some space";
        }
        if (hasCode(t, SQLiteErrorCode.SQLITE_READONLY)) {
            return "the database has become read-only: give Dream Oven write access to it";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private static boolean hasCode(Throwable t, SQLiteErrorCode code) {
        // Extended codes (SQLITE_READONLY_DBMOVED, …) carry the primary code in their low byte.
        return anyCause(t, c -> c instanceof SQLiteException s && (s.getResultCode().code & 0xff) == code.code);
    }

    private static boolean anyCause(Throwable t, Predicate<Throwable> test) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        todo.push(t);
        while (!todo.isEmpty()) {
            Throwable c = todo.pop();
            if (!seen.add(c)) {
                continue;
            }
            if (test.test(c)) {
                return true;
            }
            if (c.getCause() != null) {
                todo.push(c.getCause());
            }
            for (Throwable s : c.getSuppressed()) {
                todo.push(s);
            }
        }
        return false;
    }

    /** The SQL dialect of the database: SQLite (one machine) or PostgreSQL (several hosts). */
    public enum Dialect { SQLITE, POSTGRESQL }

    public Dialect dialect() {
        return Dialect.SQLITE;
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
