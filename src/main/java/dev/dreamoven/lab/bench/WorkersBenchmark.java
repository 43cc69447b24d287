package dev.dreamoven.lab.bench;

import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.lab.postgres.TempPostgres;
import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.JobOrigin;
import dev.dreamoven.render.PlaceholderEngine;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench workers}: throughput of the shared queue with 1, 2, 3 … render worker processes
 * ({@code serve --role worker --engine placeholder}) on one PostgreSQL (a throwaway cluster). Each
 * count gets a fresh database and its own processes; the jobs are queued once all of them listen,
 * and the figure is jobs / (last finished − first queued), from the database's own times. The
 * placeholder oven sleeps through its steps, so the workers' CPU is the queue's own overhead: with
 * perfect scaling N workers finish N × 1000 / (steps × step-ms) jobs a second.
 */
public final class WorkersBenchmark {

    /** One worker count's run. */
    public record Row(int workers, int jobs, double seconds, double jobsPerSecond, double ideal) {
        String line() {
            return String.format(Locale.ROOT, "%d worker(s): %d jobs in %.2f s = %.1f jobs/s (ideal %.1f, %.0f %%)",
                    workers, jobs, seconds, jobsPerSecond, ideal, 100 * jobsPerSecond / ideal);
        }
    }

    private static final String READY = "takes jobs from the shared queue";

    private final int jobs;
    private final int steps;
    private final long stepMillis;
    private final PrintWriter out;

    public WorkersBenchmark(int jobs, int steps, long stepMillis, PrintWriter out) {
        this.jobs = jobs;
        this.steps = steps;
        this.stepMillis = stepMillis;
        this.out = out;
    }

    /** Runs each worker count in turn on one throwaway PostgreSQL cluster. */
    public List<Row> run(List<Integer> workerCounts) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (TempPostgres cluster = TempPostgres.start()) {
            for (int n : workerCounts) {
                Row r = runOnce(cluster, n);
                out.println("bench workers: " + r.line());
                out.flush();
                rows.add(r);
            }
        }
        return rows;
    }

    private Row runOnce(TempPostgres cluster, int workers) throws Exception {
        String url = cluster.createDatabase("bench_workers_" + workers + "_" + System.nanoTime());
        Path dir = Files.createTempDirectory("dreamoven-bench-workers");
        Path config = dir.resolve("bench.properties");
        Files.writeString(config, String.join("\n", "store.url=" + url, "store.user=" + TempPostgres.USER,
                "store.results=" + dir.resolve("results").toString().replace('\\', '/'),
                "store.baked=" + dir.resolve("baked").toString().replace('\\', '/'), "render.capacity=100000", ""));
        try (Database db = Database.open(url, TempPostgres.USER, cluster.password())) {
            List<Process> processes = new ArrayList<>();
            try {
                for (int w = 0; w < workers; w++) {
                    processes.add(startWorker(cluster, config, dir.resolve("worker-" + w + ".log")));
                }
                for (int w = 0; w < workers; w++) {
                    awaitReady(processes.get(w), dir.resolve("worker-" + w + ".log"));
                }
                try (RenderQueue submitter = new RenderQueue(db, new PlaceholderEngine(1, 0),
                        new RenderQueue.Settings(jobs + 1, jobs + 1, dir.resolve("unused"), 2, 1000),
                        Clock.systemUTC())) {
                    for (int i = 0; i < jobs; i++) {
                        submitter.submit(JobKind.DREAM, "bench", JobOrigin.none(), DreamRequest.of("bench " + i, i));
                    }
                }
                long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (count(db, "SELECT COUNT(*) FROM jobs WHERE status = 'done'") < jobs) {
                    if (System.nanoTime() > end) {
                        throw new IllegalStateException("the workers did not finish in 10 minutes");
                    }
                    Thread.sleep(50);
                }
                double seconds = (count(db, "SELECT MAX(finished_at) FROM jobs")
                        - count(db, "SELECT MIN(created_at) FROM jobs")) / 1000.0;
                double ideal = workers * 1000.0 / (steps * stepMillis);
                return new Row(workers, jobs, seconds, jobs / seconds, ideal);
            } finally {
                for (Process p : processes) {
                    p.destroy();
                }
                for (Process p : processes) {
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            }
        }
    }

    private Process startWorker(TempPostgres cluster, Path config, Path log) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", SoakBenchmark.absoluteClassPath(),
                "dev.dreamoven.app.Main", "--config", config.toString(), "serve", "--role", "worker",
                "--engine", "placeholder", "--placeholder-steps", Integer.toString(steps),
                "--placeholder-step-ms", Long.toString(stepMillis));
        ProcessBuilder pb = new ProcessBuilder(command).directory(config.getParent().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DREAMOVEN_STORE_PASSWORD", cluster.password());
        pb.environment().put("DREAMOVEN_LOG_LEVEL", "INFO"); // the line that says the worker listens
        return pb.start();
    }

    private static void awaitReady(Process p, Path log) throws IOException, InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(log) || !Files.readString(log).contains(READY)) {
            if (!p.isAlive() || System.nanoTime() > end) {
                throw new IllegalStateException("a worker did not start: " + (Files.exists(log)
                        ? Files.readString(log) : "no output"));
            }
            Thread.sleep(50);
        }
    }

    private static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
