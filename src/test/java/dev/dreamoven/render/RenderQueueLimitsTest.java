package dev.dreamoven.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderQueueLimitsTest {

    @TempDir
    Path dir;
    private Database db;

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("q.db"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private RenderQueue queue(int capacity, int perUser, RenderEngine engine) {
        return new RenderQueue(db, engine, new RenderQueue.Settings(capacity, perUser, dir.resolve("results"), 2, 10_000),
                Clock.systemUTC());
    }

    private static DreamRequest dream(String prompt) {
        return DreamRequest.of(prompt, 1);
    }

    @Test
    void aThousandSubmissionsFromFiftyUsersHonourCapacityPerUserLimitAndPositions() throws Exception {
        RenderQueue q = queue(100, 3, FakeEngine.instant()); // not started: everything stays waiting
        Map<String, AtomicInteger> acceptedByUser = new ConcurrentHashMap<>();
        List<Integer> positions = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger full = new AtomicInteger();
        AtomicInteger overLimit = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> all = new ArrayList<>();
        for (int n = 0; n < 1000; n++) {
            String user = "user" + (n % 50);
            int k = n;
            all.add(pool.submit(() -> {
                try {
                    RenderQueue.Submission s = q.submit(JobKind.DREAM, user, JobOrigin.none(), dream("p" + k));
                    acceptedByUser.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
                    positions.add(s.position());
                } catch (QueueFullException e) {
                    full.incrementAndGet();
                } catch (UserLimitException e) {
                    overLimit.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        int accepted = acceptedByUser.values().stream().mapToInt(AtomicInteger::get).sum();
        assertThat(accepted).isEqualTo(100);
        assertThat(accepted + full.get() + overLimit.get()).isEqualTo(1000);
        assertThat(acceptedByUser.values()).allSatisfy(n -> assertThat(n.get()).isLessThanOrEqualTo(3));
        assertThat(positions).containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
        List<JobRecord> waiting = q.snapshot(1000);
        assertThat(waiting).hasSize(100);
        assertThat(waiting.stream().map(r -> q.position(r.job().id())).toList())
                .isEqualTo(IntStream.rangeClosed(1, 100).boxed().toList());
    }

    @Test
    void withRoomForAllEveryUserGetsExactlyTheirLimit() throws Exception {
        RenderQueue q = queue(1000, 3, FakeEngine.instant());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> all = new ArrayList<>();
        for (int n = 0; n < 1000; n++) {
            String user = "user" + (n % 50);
            all.add(pool.submit(() -> {
                try {
                    q.submit(JobKind.DREAM, user, JobOrigin.none(), dream("x"));
                } catch (UserLimitException e) {
                    refused.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Map<String, Long> perUser = q.snapshot(2000).stream()
                .collect(Collectors.groupingBy(r -> r.job().requesterId(), Collectors.counting()));
        assertThat(perUser).hasSize(50).allSatisfy((u, n) -> assertThat(n).isEqualTo(3L));
        assertThat(refused.get()).isEqualTo(1000 - 150);
    }

    @Test
    void dreamsAreServedBeforeBakesAndPositionsSaySo() throws Exception {
        FakeEngine engine = FakeEngine.instant();
        RenderQueue q = queue(100, 10, engine);
        assertThat(q.submit(JobKind.BAKE, "admin", JobOrigin.none(), dream("bake one")).position()).isEqualTo(1);
        assertThat(q.submit(JobKind.DREAM, "ann", JobOrigin.none(), dream("dream one")).position()).isEqualTo(1);
        assertThat(q.submit(JobKind.BAKE, "admin", JobOrigin.none(), dream("bake two")).position()).isEqualTo(3);
        assertThat(q.submit(JobKind.DREAM, "bob", JobOrigin.none(), dream("dream two")).position()).isEqualTo(2);
        RecordingEvents events = new RecordingEvents().delivering(q);
        q.start(events);
        events.await(l -> l.stream().filter(s -> s.startsWith("done")).count() == 4);
        assertThat(engine.calls).extracting(j -> j.request().prompt())
                .containsExactly("dream one", "dream two", "bake one", "bake two");
        q.close();
    }

    @Test
    void cancellingAQueuedJobRemovesItAndCancellingTheRunningOneStopsTheEngine() throws Exception {
        FakeEngine engine = FakeEngine.holding();
        RenderQueue q = queue(100, 3, engine);
        RecordingEvents events = new RecordingEvents();
        q.start(events);
        long running = q.submit(JobKind.DREAM, "ann", JobOrigin.none(), dream("first")).job().id();
        assertThat(engine.started.await(5, TimeUnit.SECONDS)).isTrue();
        long waiting = q.submit(JobKind.DREAM, "ann", JobOrigin.none(), dream("second")).job().id();

        assertThat(q.cancel(waiting, "bob", false)).isEqualTo(RenderQueue.CancelResult.NOT_YOURS);
        assertThat(q.cancel(waiting, "ann", false)).isEqualTo(RenderQueue.CancelResult.CANCELLED);
        assertThat(q.find(waiting).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(q.cancel(running, "ann", false)).isEqualTo(RenderQueue.CancelResult.STOPPING);
        events.awaitLine("cancelled " + running);
        assertThat(q.find(running).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(q.cancel(running, "ann", false)).isEqualTo(RenderQueue.CancelResult.ALREADY_FINISHED);
        assertThat(q.cancel(999, "ann", false)).isEqualTo(RenderQueue.CancelResult.NOT_FOUND);
        assertThat(engine.calls).hasSize(1);
        q.close();
    }

    @Test
    void aFullQueueRefusesWithAFriendlyMessage() {
        RenderQueue q = queue(2, 5, FakeEngine.instant());
        q.submit(JobKind.DREAM, "a", JobOrigin.none(), dream("1"));
        q.submit(JobKind.DREAM, "b", JobOrigin.none(), dream("2"));
        assertThatThrownBy(() -> q.submit(JobKind.DREAM, "c", JobOrigin.none(), dream("3")))
                .isInstanceOf(QueueFullException.class).hasMessageContaining("full");
    }
}
