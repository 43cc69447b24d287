package dev.dreamoven.lab.bench;

import dev.dreamoven.store.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench soak}: jobs from many users through the real {@code console} (a separate process
 * each time, the placeholder engine) while the process is killed with {@code kill -9} at random
 * moments and started again on the same folder. A submission that no process acknowledged is
 * sent again, unless the database already holds it (it was stored just before the kill). At the end
 * a last process drains the queue, and the database and everything the processes printed are
 * checked:
 * <ul>
 * <li>lost: a stored job that never finished with its picture posted;
 * <li>duplicated: a submission stored as more than one job, or a picture posted more than once;
 * <li>refused: a submission the bot refused (with limits high enough for all of them);
 * <li>lost also: a job that finished but was never posted;
 * <li>stuck: a job still queued or running once the queue is drained.
 * </ul>
 * Reported apart: jobs failed by the two-crash rule (a job running at two crashes is dropped, its
 * requester told, so a job that kills the renderer cannot do so for ever). Random kills can hit the
 * same job twice when the second comes while the restarted process renders it, its first job.
 */
public final class SoakBenchmark {

    /** What one run found. */
    public record Figures(int jobs, int users, int kills, int lost, int duplicated, int refused, int stuck,
            int failedByCrashRule, double seconds) {
        public String line() {
            return String.format(Locale.ROOT, "bench soak: %d jobs from %d users, %d kills: lost %d, duplicated %d, "
                    + "refused %d, stuck %d; failed by the two-crash rule %d (%.0f s)", jobs, users, kills, lost,
                    duplicated, refused, stuck, failedByCrashRule, seconds);
        }
    }

    private static final String PING = "/queue";
    private static final String QUEUE_ANSWER = "[only you] Queue:";
    private static final String EMPTY_QUEUE_ANSWER = "[only you] The queue is empty";
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();

    /** Kills while the queue drains after the last submission. */
    private static final int DRAIN_KILLS = 5;
    private static final Pattern ACCEPTED = Pattern.compile("dream \\*\\*soak (\\d+)\\*\\* is job #(\\d+),");
    private static final Pattern POSTED = Pattern.compile("🖼️ <@[^>]+> \\*\\*soak (\\d+)\\*\\*");

    private final Path dir;
    private final int jobs;
    private final int users;
    private final Random random;
    private final long meanMillisBetweenKills;
    private final PrintWriter log;
    private final List<String> printed = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();

    public SoakBenchmark(Path dir, int jobs, int users, long seed, long meanMillisBetweenKills, PrintWriter log) {
        this.dir = dir;
        this.jobs = jobs;
        this.users = users;
        this.random = new Random(seed);
        this.meanMillisBetweenKills = meanMillisBetweenKills;
        this.log = log;
    }

    public Figures run() throws Exception {
        long start = System.nanoTime();
        Path out = dir.resolve("console");
        Path db = out.resolve("console.db");
        int kills = 0;
        int next = 0; // submissions before this one were acknowledged or found stored
        while (true) {
            Console console = new Console(out);
            long killAt = console.awaitReady() + interval();
            while (next < jobs && System.currentTimeMillis() < killAt && console.alive()) {
                int burst = Math.min(jobs - next, 1 + random.nextInt(20));
                for (int k = 0; k < burst; k++) {
                    int i = next + k;
                    console.send("as user" + (i % users) + " /dream prompt:\"soak " + i + "\" seed:" + i);
                }
                int sentUpTo = next + burst;
                while (!acknowledged.keySet().containsAll(range(next, sentUpTo)) && console.alive()
                        && System.currentTimeMillis() < killAt) {
                    Thread.sleep(5);
                }
                while (next < sentUpTo && acknowledged.containsKey(next)) {
                    next++;
                }
                Thread.sleep(random.nextInt(50));
            }
            if (!console.alive()) {
                throw new IllegalStateException("the console died by itself; it said:\n"
                        + String.join("\n", printed.subList(Math.max(0, printed.size() - 20), printed.size())));
            }
            if (next < jobs) {
                console.kill();
                kills++;
                next = firstNotStored(db, next); // what the killed process took but did not acknowledge
                continue;
            }
            // everything is stored: a few more kills while the queue drains, then a last process empties it
            for (int k = 0; k < DRAIN_KILLS && unfinished(db) > 0; k++) {
                Thread.sleep(Math.max(0, killAt - System.currentTimeMillis()));
                console.kill();
                kills++;
                console = new Console(out);
                killAt = console.awaitReady() + interval();
            }
            drain(console);
            break;
        }
        Figures f = count(db, kills, (System.nanoTime() - start) / 1e9);
        log.println(f.line());
        log.flush();
        return f;
    }

    /** Time to the next kill, counted from when the console answers: 0.25 to 1.75 times the mean. */
    private long interval() {
        return (long) (meanMillisBetweenKills * (0.25 + 1.5 * random.nextDouble()));
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }

    /** After a kill: submissions from {@code from} that are in the database count as acknowledged. */
    private int firstNotStored(Path db, int from) throws SQLException {
        Map<Integer, Long> stored = storedJobs(db);
        int i = from;
        while (i < jobs && (acknowledged.containsKey(i) || stored.containsKey(i))) {
            stored.computeIfPresent(i, (k, id) -> {
                acknowledged.putIfAbsent(k, id);
                return id;
            });
            i++;
        }
        return i;
    }

    private void drain(Console console) throws Exception {
        console.send("wait");
        console.endInput();
        if (!console.process.waitFor(30, TimeUnit.MINUTES)) {
            console.kill();
        }
        console.reader.join(10_000);
    }

    private Figures count(Path db, int kills, double seconds) throws SQLException {
        Map<Integer, Integer> postings = new HashMap<>();
        int refused = 0;
        for (String line : printed) {
            Matcher m = POSTED.matcher(line);
            if (m.find()) {
                postings.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
            }
            if (line.startsWith("[only you]") || line.contains("could not queue")) {
                refused++;
            }
        }
        int lost = 0;
        int duplicated = 0;
        int stuck = 0;
        int failed = 0;
        Map<Integer, Integer> jobsPerSubmission = new HashMap<>();
        try (Database database = Database.open(db); Connection c = database.connection()) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT json_extract(request_json, '$.prompt'), status, delivered FROM jobs")) {
                while (rs.next()) {
                    int i = Integer.parseInt(rs.getString(1).substring("soak ".length()));
                    jobsPerSubmission.merge(i, 1, Integer::sum);
                    String status = rs.getString(2);
                    if (status.equals("queued") || status.equals("running")) {
                        stuck++;
                    } else if (status.equals("failed")) {
                        failed++; // killed twice while rendering it: the rule that stops a job crashing the renderer
                        log.println("failed: soak " + i + " was running at two kills; its requester was told");
                    } else if (!status.equals("done") || rs.getInt(3) != 1 || !postings.containsKey(i)) {
                        lost++;
                        log.println("lost: soak " + i + " is " + status + (rs.getInt(3) == 1 ? ", delivered" : "")
                                + ", posted " + postings.getOrDefault(i, 0) + " times");
                    }
                }
            }
        }
        for (int i = 0; i < jobs; i++) {
            int stored = jobsPerSubmission.getOrDefault(i, 0);
            if (stored == 0) {
                lost++; // acknowledged (or never taken at all, which the loop above does not allow)
                log.println("lost: soak " + i + " was acknowledged as job #" + acknowledged.get(i) + " but is not stored");
            }
            if (stored > 1) {
                log.println("duplicated: soak " + i + " is stored as " + stored + " jobs");
            }
            if (postings.getOrDefault(i, 0) > 1) {
                log.println("duplicated: the picture of soak " + i + " was posted " + postings.get(i) + " times");
            }
            duplicated += Math.max(0, stored - 1) + Math.max(0, postings.getOrDefault(i, 0) - 1);
        }
        return new Figures(jobs, users, kills, lost, duplicated, refused, stuck, failed, seconds);
    }

    /** False until a console has created the database and its tables (a kill may come first). */
    private static boolean hasJobs(Path db) throws SQLException {
        if (!Files.exists(db)) {
            return false;
        }
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'jobs'")) {
            return rs.next();
        }
    }

    /** Jobs not yet finished and delivered. */
    private static int unfinished(Path db) throws SQLException {
        if (!hasJobs(db)) {
            return 1;
        }
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running') "
                        + "OR (status = 'done' AND delivered = 0)")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Map<Integer, Long> storedJobs(Path db) throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        if (!hasJobs(db)) {
            return out;
        }
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
                PreparedStatement q = c.prepareStatement("SELECT json_extract(request_json, '$.prompt'), id FROM jobs");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.put(Integer.parseInt(rs.getString(1).substring("soak ".length())), rs.getLong(2));
            }
        }
        return out;
    }

    /** One {@code console} process on the soak's folder, its output read line by line. */
    private final class Console {
        final Process process;
        final OutputStream stdin;
        final Thread reader;

        Console(Path out) throws IOException {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", absoluteClassPath(),
                    "dev.dreamoven.app.Main", "console", "--engine", "placeholder", "--placeholder-step-ms", "2",
                    "--out", out.toString());
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().put("DREAMOVEN_RENDER_CAPACITY", Integer.toString(jobs + 1));
            pb.environment().put("DREAMOVEN_RENDER_PER_USER", Integer.toString(jobs + 1));
            process = pb.start();
            stdin = process.getOutputStream();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        if (line.startsWith(QUEUE_ANSWER) || line.startsWith(EMPTY_QUEUE_ANSWER)) {
                            pings.incrementAndGet(); // the answer to the ping, no refusal
                            continue;
                        }
                        printed.add(line);
                        Matcher m = ACCEPTED.matcher(line);
                        if (m.find()) {
                            acknowledged.putIfAbsent(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
                        }
                    }
                } catch (IOException e) {
                    // killed
                }
            }, "soak-console-output");
            reader.setDaemon(true);
            reader.start();
        }

        boolean alive() {
            return process.isAlive();
        }

        /**
         * Asks for the queue and waits for the answer (a slow machine takes seconds to start a JVM;
         * kills during start-up alone would test little). When it answers.
         */
        long awaitReady() throws InterruptedException {
            int before = pings.get();
            send(PING);
            long end = System.currentTimeMillis() + 120_000;
            while (pings.get() == before && alive() && System.currentTimeMillis() < end) {
                Thread.sleep(5);
            }
            return System.currentTimeMillis();
        }

        void send(String line) {
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                // it died; what it did not take is sent again
            }
        }

        void endInput() {
            try {
                stdin.close();
            } catch (IOException e) {
                // gone
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
            reader.join(10_000);
        }
    }

    /** This JVM's class path with absolute entries: the consoles run in another folder. */
    static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** Runs a soak in a new temporary folder. */
    public static Figures run(int jobs, int users, long seed, long meanMillisBetweenKills, PrintWriter log)
            throws Exception {
        return new SoakBenchmark(Files.createTempDirectory("dreamoven-soak"), jobs, users, seed, meanMillisBetweenKills,
                log).run();
    }
}
