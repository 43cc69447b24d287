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
import java.util.Optional;
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
 * Dream Oven's database: by default SQLite on disk, a HikariCP pool in WAL mode with a busy timeout,
 * and the schema migrations {@code /db/migration/V<n>__<name>.sql} applied by Flyway, each once, in
 * order. Feature packages own their tables: render uses V10-V19, bake V20-V29, the bot V30-V39 (new
 * migrations take the next number whatever they change: Flyway refuses one below those applied).
 *
 * <p>Or PostgreSQL ({@link #open(String, String, String)}), so render workers on several hosts share
 * one queue: its migrations {@code /db/postgresql/V<n>__<name>.sql} mirror SQLite's, number for
 * number, in PostgreSQL's types. {@link #dialect()} tells which one a caller talks to.
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

    /** Where the PostgreSQL migrations are, on the class path. */
    static final String POSTGRESQL_MIGRATIONS = "classpath:db/postgresql";
    /** {@code jdbc:postgresql://host[:port]/database[?options]} */
    private static final Pattern POSTGRESQL_URL = Pattern.compile("jdbc:postgresql://([^/?]*)/?([^?]*).*");

    /** The SQL spoken by the database behind this pool. */
    public enum Dialect {
        SQLITE, POSTGRESQL
    }

    private final HikariDataSource pool;
    private final Dialect dialect;
    /** The SQLite file, or null for PostgreSQL. */
    private final Path file;
    /** What errors call this database: the file, or PostgreSQL's host:port/database (never credentials). */
    private final String name;

    private Database(Dialect dialect, Path file, String name, HikariDataSource pool) {
        this.dialect = dialect;
        this.file = file;
        this.name = name;
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
        Database db = new Database(Dialect.SQLITE, file, file.toString(), ds);
        try {
            db.migrate();
            db.checkWritable();
        } catch (RuntimeException e) {
            ds.close();
            throw unavailable(file, e);
        }
        return db;
    }

    /**
     * Opens a PostgreSQL database ({@code jdbc:postgresql://host:port/database}) shared by several
     * hosts, brings its schema up to date and checks it can be written. The password stays out of
     * every message and log line.
     *
     * @param user the role to log in as; null or blank: the driver's default (the OS user)
     * @param password null or blank: none (trust or peer authentication)
     * @throws IllegalArgumentException when the URL is not a PostgreSQL one
     * @throws UnavailableException when the server cannot be reached, refuses the login, lacks the
     *     database, or the database cannot be written; the message is one line
     */
    public static Database open(String jdbcUrl, String user, String password) {
        Matcher url = POSTGRESQL_URL.matcher(jdbcUrl == null ? "" : jdbcUrl.trim());
        if (!url.matches()) {
            // Without its options: they may hold a password.
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): "
                    + (jdbcUrl == null ? null : jdbcUrl.replaceAll("\\?.*", "")));
        }
        String server = url.group(1).isEmpty() ? "localhost:5432" : url.group(1).contains(":") ? url.group(1)
                : url.group(1) + ":5432";
        String database = url.group(2);
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbcUrl.trim());
        if (user != null && !user.isBlank()) {
            hc.setUsername(user.trim());
        }
        if (password != null && !password.isEmpty()) {
            hc.setPassword(password);
        }
        hc.setPoolName("dreamoven-db");
        hc.setMaximumPoolSize(8);
        hc.setMinimumIdle(1);
        hc.addDataSourceProperty("connectTimeout", "10");
        hc.addDataSourceProperty("ApplicationName", "dreamoven");
        Database db;
        try {
            db = new Database(Dialect.POSTGRESQL, null, server + "/" + database, new HikariDataSource(hc));
        } catch (RuntimeException e) {
            throw postgresUnavailable(server, database, user, password, e);
        }
        try {
            db.migrate();
            db.checkWritable();
        } catch (RuntimeException e) {
            db.close();
            throw postgresUnavailable(server, database, user, password, e);
        }
        return db;
    }

    /** One line for what went wrong while opening a PostgreSQL database, by the server's SQLSTATE. */
    private static UnavailableException postgresUnavailable(String server, String database, String user,
            String password, RuntimeException e) {
        String state = sqlState(e);
        String message;
        if (state.startsWith("08")) { // connection exception
            message = "cannot reach PostgreSQL at " + server + ": " + rootMessage(e);
        } else if (state.equals("28P01") || state.equals("28000")) { // invalid password / authorization
            message = "PostgreSQL at " + server + " refused the login of "
                    + (user == null || user.isBlank() ? "the default user" : "user " + user.trim())
                    + " (wrong user or password?): set store.user, and store.password-file or "
                    + "DREAMOVEN_STORE_PASSWORD";
        } else if (state.equals("3D000")) { // invalid catalog name
            message = "PostgreSQL at " + server + " has no database '" + database + "': create it (createdb "
                    + database + ") or fix store.url";
        } else if (state.equals("25006")) { // read-only SQL transaction
            message = "PostgreSQL database " + server + "/" + database + " cannot be written (a read-only "
                    + "replica?): point store.url at the primary";
        } else {
            message = "cannot open PostgreSQL database " + server + "/" + database + ": "
                    + (e instanceof StoreException ? e.getMessage() : rootMessage(e));
        }
        message = message.replaceAll("\\R", " ");
        if (password != null && !password.isEmpty()) {
            message = message.replace(password, "***"); // should a driver ever echo it
        }
        return new UnavailableException(message, e);
    }

    /** The SQLSTATE of the first SQLException in the causes, or "". */
    private static String sqlState(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return "";
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
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
            if (dialect == Dialect.SQLITE) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    s.execute("CREATE TABLE dreamoven_write_check (x INTEGER)");
                } finally {
                    s.execute("ROLLBACK");
                }
            } else {
                // A read-only transaction (a replica, default_transaction_read_only) refuses even a temp table.
                c.setAutoCommit(false);
                try {
                    s.execute("CREATE TEMP TABLE dreamoven_write_check (x INTEGER)");
                } finally {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot write database " + name + ": " + e.getMessage(), e);
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
        return rootMessage(t);
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

    public DataSource dataSource() {
        return pool;
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * The SQLite file.
     *
     * @throws IllegalStateException on PostgreSQL, which has no file (see {@link #fileIfAny()})
     */
    public Path file() {
        if (file == null) {
            throw new IllegalStateException("database " + name + " is PostgreSQL: it has no file");
        }
        return file;
    }

    /** The SQLite file; empty on PostgreSQL. */
    public Optional<Path> fileIfAny() {
        return Optional.ofNullable(file);
    }

    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Adopts a database of the old runner if this is one, then applies the migrations not yet applied. */
    void migrate() {
        try {
            OptionalInt legacy = dialect == Dialect.SQLITE ? legacyVersion() : OptionalInt.empty();
            if (legacy.isPresent()) {
                flyway().baselineVersion(Integer.toString(legacy.getAsInt()))
                        .baselineDescription("adopted from the runner before Flyway").load().baseline();
                try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                    s.execute("DROP TABLE " + LEGACY_HISTORY);
                }
            }
            flyway().load().migrate();
        } catch (FlywayException | SQLException e) {
            throw new StoreException("cannot migrate database " + name + ": " + e.getMessage(), e);
        }
    }

    private FluentConfiguration flyway() {
        return Flyway.configure(Database.class.getClassLoader()).dataSource(pool)
                .locations(dialect == Dialect.SQLITE ? MIGRATIONS : POSTGRESQL_MIGRATIONS);
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
