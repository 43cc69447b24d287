package dev.dreamoven.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A separate JVM on the test class path, for what one process cannot show: a second owner of a
 * database, {@code kill -9}, SIGTERM. Its stdout and stderr are collected line by line (merged).
 */
public final class Jvm implements AutoCloseable {

    /** The product's entry point. */
    public static final String MAIN = "dev.dreamoven.app.Main";

    private final Process process;
    private final OutputStream stdin;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private Jvm(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code mainClass args...} in {@code dir}, small and quick to start. */
    public static Jvm start(Path dir, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        try {
            return new Jvm(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Types a line on its stdin. */
    public Jvm send(String line) {
        try {
            stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the process took no more input; it said: " + output(), e);
        }
        return this;
    }

    /** Closes its stdin (end of input). */
    public Jvm endInput() {
        try {
            stdin.close();
        } catch (IOException e) {
            // gone already
        }
        return this;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String output() {
        return String.join("\n", lines);
    }

    /** Waits until a line matches; fails with the output so far after {@code seconds}. */
    public String awaitLine(Predicate<String> matching, int seconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            for (String l : lines) {
                if (matching.test(l)) {
                    return l;
                }
            }
            if (!process.isAlive() && !reader.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such line within " + seconds + " s (alive: " + process.isAlive() + "); output:\n"
                + output());
    }

    /** Waits for the exit and for the last of its output; its exit code. */
    public int awaitExit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("still running after " + seconds + " s; output:\n" + output());
        }
        reader.join(5000);
        return process.exitValue();
    }

    /** {@code kill -9}: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: shutdown hooks run. */
    public void terminate() {
        process.destroy();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
