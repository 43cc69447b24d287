package dev.dreamoven.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.app.Main;
import dev.dreamoven.lab.fakediscord.FakeDiscord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The product's real {@code serve} (picocli, the composition root, the Discord adapter, the SQLite queue, the
 * placeholder engine) pointed at a {@link FakeDiscord} through the two URL settings, either in this JVM or as a
 * separate process that can be killed with SIGKILL. Nothing of the wiring is copied here: the test writes a
 * configuration file and environment variables, as an operator would.
 */
final class Serve implements AutoCloseable {

    static final Duration LOGIN = Duration.ofSeconds(40);

    private final Thread thread;
    private final StringWriter err;
    private final Process process;
    private final Path log;
    private final AtomicInteger exitCode;

    private Serve(Thread thread, StringWriter err, Process process, Path log, AtomicInteger exitCode) {
        this.thread = thread;
        this.err = err;
        this.process = process;
        this.log = log;
        this.exitCode = exitCode;
    }

    /** {@code DISCORD_TOKEN} and the two URL settings as environment variables, as an operator sets them. */
    static Map<String, String> environment(FakeDiscord fake) {
        Map<String, String> env = new HashMap<>();
        env.put("DISCORD_TOKEN", fake.token());
        env.put("DREAMOVEN_DISCORD_API_URL", fake.apiBaseUrl());
        env.put("DREAMOVEN_DISCORD_GATEWAY_URL", fake.gatewayUrl());
        return env;
    }

    /** A configuration file in {@code dir} with its state under {@code dir} and the given settings. */
    static Path config(Path dir, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("store.database", dir.resolve("data/dreamoven.db").toString());
        all.put("store.results", dir.resolve("data/results").toString());
        all.put("store.baked", dir.resolve("baked").toString());
        all.put("discord.token-file", dir.resolve("no-token-file").toString());
        all.put("discord.preview-seconds", "0");
        all.putAll(settings);
        StringBuilder text = new StringBuilder();
        all.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "/")).append('\n'));
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("serve.properties");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code serve --engine placeholder} on a thread of this JVM; {@link #close()} stops it gracefully. */
    static Serve inProcess(Path config, Map<String, String> env) {
        return inProcess(config, env, Duration.ofMillis(100));
    }

    /**
     * {@link #inProcess(Path, Map)} with the placeholder's 20 steps taking {@code step} each (the default 100 ms
     * makes a picture in 2 s): a journey that needs dreams to wait behind one in the oven slows the oven down.
     */
    static Serve inProcess(Path config, Map<String, String> env, Duration step) {
        StringWriter err = new StringWriter();
        AtomicInteger code = new AtomicInteger(Integer.MIN_VALUE);
        Thread t = new Thread(() -> {
            picocli.CommandLine cl = Main.commandLine(env);
            cl.setErr(new PrintWriter(err, true));
            cl.setOut(new PrintWriter(new StringWriter(), true));
            code.set(cl.execute("--config", config.toString(), "serve", "--engine", "placeholder",
                    "--placeholder-steps", "20", "--placeholder-step-ms", Long.toString(step.toMillis())));
        }, "serve-under-test");
        t.start();
        return new Serve(t, err, null, null, code);
    }

    /** {@code serve --engine placeholder} as a child JVM on this test's class path (the product's real Main). */
    static Serve childProcess(Path config, Map<String, String> env, Path workDir) throws IOException {
        return childProcess(config, env, workDir, List.of());
    }

    /** {@code serve --engine placeholder} and {@code serveOptions} (a role, the oven's pace) as a child JVM. */
    static Serve childProcess(Path config, Map<String, String> env, Path workDir, List<String> serveOptions)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--config", config.toString(), "serve",
                "--engine", "placeholder"));
        command.addAll(serveOptions);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Path log = workDir.resolve("serve-" + System.nanoTime() + ".log");
        pb.redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new Serve(null, null, pb.start(), log, null);
    }

    /** Waits until this {@code serve} registered its commands at the fake: it is logged in and listening. */
    Serve awaitOnline(FakeDiscord fake, long sinceRequest) {
        fake.awaitRequest(r -> r.seq() >= sinceRequest && r.method().equals("PUT") && r.path().endsWith("/commands"),
                LOGIN);
        return this;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the process dies at once, writing nothing more. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    /** What the command printed on its error stream (in-process) or its whole output (child process). */
    String output() {
        if (err != null) {
            return err.toString();
        }
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits for the command to end by itself (a failed login); its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (process != null) {
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as(output()).isTrue();
            return process.exitValue();
        }
        thread.join(timeout.toMillis());
        assertThat(thread.isAlive()).as("serve still runs: " + output()).isFalse();
        return exitCode.get();
    }

    /** Stops it: in-process gracefully (the job in the oven goes back to the queue); a child with SIGTERM. */
    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            return;
        }
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(30_000);
        }
    }

    // ------------------------------------------------------------------ the database, read as an operator would

    /** One number from the database of {@code dir} ({@code store.database}), e.g. a count; -1 when no row. */
    static long query(Path dir, String sql, Object... params) {
        String v = queryText(dir, sql, params);
        return v == null ? -1 : Long.parseLong(v);
    }

    /** One value from the database of {@code dir}, as text; null when no row. */
    static String queryText(Path dir, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/dreamoven.db"));
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
