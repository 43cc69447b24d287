package dev.dreamoven.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the queue promises when several workers and bots share one database (hosts, or processes on
 * one host), whatever the database: each store passes the same tests ({@code SharedQueueOnSqliteTest},
 * {@code SharedQueueOnPostgresTest}). Each "host" here is its own {@link RenderQueue} on its own pool.
 */
abstract class SharedQueueContract {

    /**
     * Short enough to wait for its expiry in a test, long enough that a busy machine (two test JVMs
     * on two cores) never stalls a healthy worker's renewal (every third of it) past it.
     */
    private static final long LEASE_MILLIS = 1200;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    /** A fresh, empty database for one test; {@link #openAgain} opens another pool on it (another host). */
    protected abstract Database openDatabase(Path dir);

    protected abstract Database openAgain(Path dir);

    private Database db;

    @BeforeEach
    void freshDatabase() {
        db = own(openDatabase(dir));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private <T extends AutoCloseable> T own(T c) {
        open.add(c);
        return c;
    }

    /** A host: its own connection pool and queue. */
    private RenderQueue host(RenderEngine engine, int perUser) {
        Database hostDb = own(openAgain(dir));
        return own(new RenderQueue(hostDb, engine, new RenderQueue.Settings(1000, perUser, dir.resolve("results"), 2,
                5000, 50, 200, LEASE_MILLIS), Clock.systemUTC()));
    }

    /** A bot host: a queue without a worker, telling what it hears to {@code told}. */
    private record Bot(RenderQueue queue, RecordingEvents told) {
    }

    private Bot bot(int perUser) {
        RenderQueue q = host(FakeEngine.instant(), perUser);
        RecordingEvents told = new RecordingEvents().delivering(q);
        q.attach(told);
        return new Bot(q, told);
    }

    private static DreamRequest request(int seed) {
        return DreamRequest.of("a red circle", seed);
    }

    private ResultFeed feed(RenderQueue bot, RecordingEvents events) {
        ResultFeed f = own(bot.feed(events, origin -> true, new ResultFeed.Settings(Duration.ofMillis(50),
                Duration.ofSeconds(30))));
        f.start(db);
        return f;
    }

    @Test
    void threeWorkersRenderEveryJobOnceAndTwoBotsDeliverEachOnce() throws Exception {
        Map<Long, List<String>> renders = new ConcurrentHashMap<>();
        List<RenderQueue> workers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            String name = "worker " + w;
            RenderEngine engine = (job, progress) -> {
                renders.computeIfAbsent(job.id(), k -> new CopyOnWriteArrayList<>()).add(name);
                return FakeEngine.instant().render(job, progress);
            };
            workers.add(host(engine, 100));
        }
        Bot first = bot(100);
        Bot second = bot(100);
        RenderQueue bot1 = first.queue();
        RenderQueue bot2 = second.queue();
        RecordingEvents told1 = first.told();
        RecordingEvents told2 = second.told();
        for (int i = 0; i < 60; i++) {
            (i % 2 == 0 ? bot1 : bot2).submit(JobKind.DREAM, "user" + i % 7, JobOrigin.none(), request(i));
        }
        workers.forEach(RenderQueue::startWorker);
        feed(bot1, told1);
        feed(bot2, told2);

        awaitTrue(() -> doneLines(told1).size() + doneLines(told2).size() >= 60, Duration.ofSeconds(60));
        Thread.sleep(300); // a second delivery, if there were one, would come now
        assertThat(renders).hasSize(60);
        assertThat(renders.values()).allSatisfy(by -> assertThat(by).as("rendered by").hasSize(1));
        assertThat(renders.values().stream().map(by -> by.get(0)).distinct().count())
                .as("the work was shared").isGreaterThan(1);
        List<String> delivered = new ArrayList<>(doneLines(told1));
        delivered.addAll(doneLines(told2));
        assertThat(delivered).hasSize(60).doesNotHaveDuplicates();
        for (long id = 1; id <= 60; id++) {
            assertThat(bot1.find(id).orElseThrow().status()).isEqualTo(JobStatus.DONE);
        }
    }

    private static List<String> doneLines(RecordingEvents e) {
        return e.lines.stream().filter(l -> l.startsWith("done ")).collect(Collectors.toList());
    }

    @Test
    void aJobWhoseWorkerStopsRenewingItsLeaseIsTakenBackAndTheLateResultIsDropped() throws Exception {
        FakeEngine slow = FakeEngine.holding();
        RenderQueue cutOffWorker = host(slow, 10);
        Bot b = bot(10);
        RenderQueue bot = b.queue();
        RecordingEvents told = b.told();
        long id = bot.submit(JobKind.DREAM, "ann", JobOrigin.none(), request(1)).job().id();
        cutOffWorker.startWorker();
        assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();
        cutOffWorker.cutOff();

        FakeEngine healthy = FakeEngine.instant();
        RenderQueue other = host(healthy, 10);
        other.startWorker();
        feed(bot, told);
        told.awaitLine("done " + id);
        assertThat(healthy.calls).extracting(RenderJob::id).containsExactly(id);
        JobRecord afterTakeOver = bot.find(id).orElseThrow();
        assertThat(afterTakeOver.status()).isEqualTo(JobStatus.DONE);
        assertThat(afterTakeOver.job().attempts()).as("the crash cost an attempt").isEqualTo(2);

        slow.release(); // the cut-off worker finishes late
        Thread.sleep(2 * LEASE_MILLIS);
        JobRecord after = bot.find(id).orElseThrow();
        assertThat(after.resultPath()).isEqualTo(afterTakeOver.resultPath());
        assertThat(Path.of(after.resultPath().orElseThrow())).exists();
        try (var files = Files.list(dir.resolve("results"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .as("the late picture is not kept").containsExactly(Path.of(after.resultPath().get())
                            .getFileName().toString());
        }
        assertThat(told.lines.stream().filter(l -> l.equals("done " + id))).hasSize(1);
    }

    @Test
    void aJobThatLosesItsWorkerTooOftenFailsAndItsRequesterIsToldOnce() throws Exception {
        Bot b = bot(10);
        RenderQueue bot = b.queue();
        RecordingEvents told = b.told();
        long id = bot.submit(JobKind.DREAM, "ann", JobOrigin.none(), request(1)).job().id();
        for (int attempt = 0; attempt < 2; attempt++) { // maxAttempts is 2
            FakeEngine hangs = FakeEngine.holding();
            RenderQueue w = host(hangs, 10);
            w.startWorker();
            assertThat(hangs.started.await(10, TimeUnit.SECONDS)).isTrue();
            w.cutOff();
            awaitTrue(() -> bot.find(id).orElseThrow().status() != JobStatus.RUNNING
                    || expiredAndAttempted(bot, id), Duration.ofSeconds(10));
        }
        RenderQueue last = host(FakeEngine.instant(), 10);
        last.startWorker();
        feed(bot, told);
        told.awaitLine("failed " + id);
        assertThat(bot.find(id).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(told.failures).singleElement().asString().contains("stopped the renderer 2 times");
        Thread.sleep(300);
        assertThat(told.lines.stream().filter(l -> l.startsWith("failed "))).hasSize(1);
    }

    private static boolean expiredAndAttempted(RenderQueue q, long id) {
        JobRecord r = q.find(id).orElseThrow();
        return r.job().attempts() >= 1;
    }

    @Test
    void theLimitsHoldForSubmissionsOnSeveralHostsAtOnce() throws Exception {
        List<RenderQueue> bots = List.of(host(FakeEngine.instant(), 3), host(FakeEngine.instant(), 3),
                host(FakeEngine.instant(), 3));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                RenderQueue b = bots.get(i % 3);
                int seed = i;
                tries.add(pool.submit(() -> {
                    go.await();
                    try {
                        b.submit(JobKind.DREAM, "ann", JobOrigin.none(), request(seed));
                        return true;
                    } catch (UserLimitException e) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int accepted = 0;
            for (Future<Boolean> t : tries) {
                accepted += t.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(accepted).as("ann's jobs accepted across three hosts").isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
        assertThat(bots.get(2).snapshot(10)).hasSize(3);
        assertThat(bots.get(1).position(bots.get(0).snapshot(10).get(2).job().id())).isEqualTo(3);
    }

    @Test
    void aCancelOnOneHostStopsTheJobOnTheWorkerOfAnotherAndTheRequesterHearsOnce() throws Exception {
        FakeEngine held = FakeEngine.holding();
        RenderQueue worker = host(held, 10);
        Bot b = bot(10);
        RenderQueue bot = b.queue();
        RecordingEvents told = b.told();
        long running = bot.submit(JobKind.DREAM, "ann", JobOrigin.none(), request(1)).job().id();
        long waiting = bot.submit(JobKind.DREAM, "ann", JobOrigin.none(), request(2)).job().id();
        worker.startWorker();
        assertThat(held.started.await(10, TimeUnit.SECONDS)).isTrue();
        feed(bot, told);

        assertThat(bot.cancel(waiting, "ann", false)).isEqualTo(RenderQueue.CancelResult.CANCELLED);
        assertThat(bot.cancel(running, "bob", false)).isEqualTo(RenderQueue.CancelResult.NOT_YOURS);
        assertThat(bot.cancel(running, "ann", false)).isEqualTo(RenderQueue.CancelResult.STOPPING);
        told.awaitLine("cancelled " + running);
        assertThat(bot.find(running).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        Thread.sleep(300);
        assertThat(told.lines.stream().filter(l -> l.startsWith("cancelled "))).hasSize(2);
        assertThat(held.calls).extracting(RenderJob::id).containsExactly(running);
    }

    @Test
    void aBotShowsStartProgressAndPreviewOfJobsRenderedElsewhere() throws Exception {
        FakeEngine held = FakeEngine.holding();
        RenderQueue worker = host(held, 10);
        Bot b = bot(10);
        RenderQueue bot = b.queue();
        RecordingEvents told = b.told();
        long id = bot.submit(JobKind.DREAM, "ann", JobOrigin.none(), request(1)).job().id();
        worker.startWorker();
        feed(bot, told);
        told.awaitLine("progress " + id + " 1/2");
        assertThat(told.lines).contains("started " + id);
        assertThat(told.previews).as("the preview the worker recorded").contains(new byte[] {1, 2, 3});
        held.release();
        told.awaitLine("done " + id);
    }

    @Test
    void waitingJobsOfABotsShardsAreToldTheirPositionAsWorkersElsewhereTakeJobs() throws Exception {
        FakeEngine held = FakeEngine.holding();
        RenderQueue worker = host(held, 10);
        Bot b = bot(10);
        long first = b.queue().submit(JobKind.DREAM, "ann", JobOrigin.none(), request(1)).job().id();
        long second = b.queue().submit(JobKind.DREAM, "bob", JobOrigin.none(), request(2)).job().id();
        long third = b.queue().submit(JobKind.DREAM, "cy", JobOrigin.none(), request(3)).job().id();
        feed(b.queue(), b.told());
        b.told().awaitLine("moved " + third + " to 3");
        worker.startWorker();
        b.told().awaitLine("moved " + third + " to 2");
        assertThat(b.told().lines).contains("moved " + second + " to 1").doesNotContain("moved " + first + " to 0");
        held.release();
        b.told().awaitLine("done " + third);
    }

    @Test
    void aBotDeliversItsShardsJobsWhileManyOfAnotherShardWaitForTheirBot() throws Exception {
        RenderQueue worker = host(FakeEngine.instant(), 100);
        Bot b = bot(100);
        RenderQueue bot = b.queue();
        RecordingEvents told = b.told();
        for (int i = 0; i < 60; i++) {
            bot.submit(JobKind.DREAM, "user" + i, new JobOrigin("guild-of-a-sleeping-bot", "c", null), request(i));
        }
        long mine = bot.submit(JobKind.DREAM, "ann", new JobOrigin("my-guild", "c", null), request(99)).job().id();
        worker.startWorker();
        awaitTrue(() -> bot.find(mine).orElseThrow().status() == JobStatus.DONE, Duration.ofSeconds(30));
        ResultFeed f = own(bot.feed(told, origin -> "my-guild".equals(origin.guildId()),
                new ResultFeed.Settings(Duration.ofMillis(50), Duration.ofSeconds(30))));
        f.start(db);
        told.awaitLine("done " + mine);
        assertThat(told.lines.stream().filter(l -> l.startsWith("done "))).containsExactly("done " + mine);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + limit);
            }
            Thread.sleep(10);
        }
    }
}
