package dev.dreamoven.lab.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of its own in a temp folder, for one test run or lab session: {@code initdb}
 * with a random superuser password (password authentication, so a wrong password is refused as on a
 * real server), started by {@code pg_ctl} on a free 127.0.0.1 port with its socket inside the folder
 * and fsync off (nothing here needs to survive a crash). {@link #close()} stops it and deletes the
 * folder; a JVM shutdown hook does the same should nobody close it.
 *
 * <p>PostgreSQL refuses to run as root: as root, the cluster runs as user {@code postgres} (which
 * Debian's package creates), else {@code nobody}, through {@code runuser}.
 */
public final class TempPostgres implements AutoCloseable {

    /** The cluster's superuser. */
    public static final String USER = "dreamoven";
    private static final Path DEBIAN_BINARIES = Path.of("/usr/lib/postgresql");
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final long COMMAND_TIMEOUT_S = 120;

    private final Path bin;
    private final Path folder;
    private final Optional<String> runAs;
    private final int port;
    private final String password;
    private final Thread stopAtExit;
    private boolean stopped;

    private TempPostgres(Path bin, Path folder, Optional<String> runAs, int port, String password) {
        this.bin = bin;
        this.folder = folder;
        this.runAs = runAs;
        this.port = port;
        this.password = password;
        this.stopAtExit = new Thread(this::stop, "temp-postgres-stop");
    }

    /** True when {@code initdb} and {@code pg_ctl} are installed (on the PATH or in Debian's folder). */
    public static boolean available() {
        return binaries().isPresent();
    }

    /** Creates and starts a cluster; close it when done. */
    public static TempPostgres start() throws IOException {
        Path bin = binaries().orElseThrow(() -> new IOException("PostgreSQL is not installed: no initdb and pg_ctl "
                + "on the PATH or in " + DEBIAN_BINARIES + "/*/bin (Debian: apt-get install postgresql)"));
        Optional<String> runAs = isRoot() ? Optional.of(unprivilegedUser()) : Optional.empty();
        Path folder = Files.createTempDirectory("dreamoven-pg-");
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        TempPostgres pg = null;
        try {
            Files.writeString(folder.resolve("password"), password + "\n", StandardCharsets.UTF_8);
            Files.createDirectories(folder.resolve("socket"));
            if (runAs.isPresent()) {
                run(folder, List.of("chown", "-R", runAs.get(), folder.toString()));
            }
            run(folder, asUser(runAs, List.of(bin.resolve("initdb").toString(), "-D", folder.resolve("data").toString(),
                    "-U", USER, "--pwfile=" + folder.resolve("password"), "--auth=scram-sha-256", "-E", "UTF8",
                    "--no-locale", "--no-sync")));
            Files.delete(folder.resolve("password"));
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) { // another process may take the free port first
                int port = freePort();
                pg = new TempPostgres(bin, folder, runAs, port, password);
                try {
                    pg.pgCtl("start", "-w", "-t", "60", "-l", folder.resolve("server.log").toString(), "-o",
                            "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                                    + folder.resolve("socket") + " -c fsync=off -c synchronous_commit=off"
                                    + " -c full_page_writes=off");
                    Runtime.getRuntime().addShutdownHook(pg.stopAtExit);
                    return pg;
                } catch (IOException e) {
                    last = e;
                }
            }
            throw last;
        } catch (IOException | RuntimeException e) {
            deleteFolder(folder);
            throw e;
        }
    }

    /** The superuser's password (random per cluster). */
    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of a database of this cluster ({@code postgres} always exists). */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** Creates an empty database and returns its JDBC URL; log in as {@link #USER} with {@link #password()}. */
    public String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name (a-z, 0-9, _): " + name);
        }
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    /** Stops the server at once (no checkpoint: the data is thrown away) and deletes its folder. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs (or ran) stop(), which is idempotent
        }
    }

    private synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            pgCtl("stop", "-m", "immediate", "-w");
        } catch (IOException | RuntimeException e) {
            System.err.println("temp PostgreSQL in " + folder + " did not stop: " + e.getMessage());
        }
        deleteFolder(folder);
    }

    private void pgCtl(String action, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), action, "-D",
                folder.resolve("data").toString()));
        command.addAll(List.of(options));
        try {
            run(folder, asUser(runAs, command));
        } catch (IOException e) {
            Path log = folder.resolve("server.log");
            String tail = Files.isRegularFile(log) ? tail(Files.readString(log, StandardCharsets.UTF_8)) : "";
            throw new IOException(e.getMessage() + (tail.isEmpty() ? "" : "; server log: " + tail), e);
        }
    }

    /**
     * Runs a command in {@code folder}, its output into a file there (not a pipe: the server that
     * {@code pg_ctl start} leaves running would hold a pipe open).
     */
    private static void run(Path folder, List<String> command) throws IOException {
        Path output = Files.createTempFile("pg-command-", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish in " + COMMAND_TIMEOUT_S + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + tail(Files.readString(output, StandardCharsets.UTF_8)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static List<String> asUser(Optional<String> user, List<String> command) {
        if (user.isEmpty()) {
            return command;
        }
        List<String> as = new ArrayList<>(List.of("runuser", "-u", user.get(), "--"));
        as.addAll(command);
        return as;
    }

    /** The folder of {@code initdb} and {@code pg_ctl}: from the PATH, else Debian's newest version. */
    static Optional<Path> binaries() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && hasBinaries(Paths.get(dir))) {
                    try {
                        // Debian links them into the PATH; pg_ctl finds postgres beside its real self anyway.
                        return Optional.of(Paths.get(dir).resolve("pg_ctl").toRealPath().getParent());
                    } catch (IOException e) {
                        return Optional.of(Paths.get(dir));
                    }
                }
            }
        }
        if (!Files.isDirectory(DEBIAN_BINARIES)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_BINARIES)) {
            return versions.map(v -> v.resolve("bin")).filter(TempPostgres::hasBinaries)
                    .max(Comparator.comparingInt(TempPostgres::version));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean hasBinaries(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    /** 15 for {@code /usr/lib/postgresql/15/bin}; 0 for a folder not named by a number. */
    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() throws IOException {
        return "0".equals(output(List.of("id", "-u")));
    }

    private static String unprivilegedUser() throws IOException {
        try {
            output(List.of("id", "-u", "postgres"));
            return "postgres";
        } catch (IOException noSuchUser) {
            return "nobody";
        }
    }

    private static String output(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String tail(String text) {
        String t = text.strip().replaceAll("\\s*\\R\\s*", " | ");
        return t.length() <= 600 ? t : "…" + t.substring(t.length() - 600);
    }

    private static void deleteFolder(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("cannot delete the temp PostgreSQL folder " + folder + ": " + e.getMessage());
        }
    }
}
