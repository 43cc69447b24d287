package dev.dreamoven.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.render.JobRecord;
import dev.dreamoven.render.JobStatus;
import dev.dreamoven.render.PlaceholderEngine;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import dev.dreamoven.testing.Jvm;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consoles as separate processes on one data folder: one owner at a time, and SIGTERM is a graceful stop. */
class ConsoleProcessTest {

    @TempDir
    Path dir;

    private Jvm console(String... extra) {
        String[] args = new String[5 + extra.length];
        System.arraycopy(new String[] {"console", "--engine", "placeholder", "--out", dir.resolve("out").toString()},
                0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        return Jvm.start(dir, Jvm.MAIN, args);
    }

    @Test
    void aSecondProcessOnTheSameDatabaseRefusesToStartAndNoJobRunsTwice() throws Exception {
        try (Jvm first = console("--placeholder-step-ms", "1000")) {
            first.send("/dream prompt:\"a red circle\" seed:3");
            first.awaitLine(l -> l.contains("is in the oven"), 120);
            try (Jvm second = console()) {
                second.send("/queue").send("wait").endInput();
                assertThat(second.awaitExit(120)).as(second.output()).isEqualTo(1);
                assertThat(second.lines()).as("one line, naming the first one's pid").singleElement().satisfies(l ->
                        assertThat(l).startsWith("console: another Dream Oven process (pid " + first.pid() + ", started ")
                                .endsWith(") is already running the render queue of " + dir.resolve("out")
                                        .resolve("console.db") + ": stop it first, or give this one its own store.database"));
            }
            first.send("wait").endInput();
            assertThat(first.awaitExit(120)).as(first.output()).isZero();
            assertThat(first.lines().stream().filter(l -> l.contains("🖼️")).count()).as(first.output()).isEqualTo(1);
        }
    }

    @Test
    void sigtermPutsTheRunningJobBackWithoutCostingAnAttempt() throws Exception {
        try (Jvm console = console("--placeholder-step-ms", "1000")) {
            console.send("/dream prompt:\"a red circle\" seed:3");
            console.awaitLine(l -> l.contains("is in the oven"), 120);
            Thread.sleep(1500); // rendering: past its first step
            console.terminate();
            console.awaitExit(120);
        }
        try (Database db = Database.open(dir.resolve("out").resolve("console.db"))) {
            RenderQueue q = new RenderQueue(db, new PlaceholderEngine(1, 0),
                    new RenderQueue.Settings(10, 3, dir.resolve("out").resolve("results"), 2, 1000), Clock.systemUTC());
            JobRecord job = q.find(1).orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(job.job().attempts()).isZero();
        }
    }
}
