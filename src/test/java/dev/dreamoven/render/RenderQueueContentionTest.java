package dev.dreamoven.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Valid submissions are never refused because of the database: the count-then-insert of a
 * submission runs while the worker claims, finishes and marks jobs delivered on other connections.
 * With deferred transactions SQLite answers such an upgrade with SQLITE_BUSY_SNAPSHOT at once (the
 * busy timeout does not apply); write transactions must begin IMMEDIATE.
 */
class RenderQueueContentionTest {

    @TempDir
    Path dir;

    @Test
    void sixHundredSubmissionsFromFiftyUsersAreAllAcceptedWhileTheWorkerWrites() throws Exception {
        try (Database db = Database.open(dir.resolve("q.db"))) {
            RenderQueue q = new RenderQueue(db, FakeEngine.instant(),
                    new RenderQueue.Settings(1000, 100, dir.resolve("results"), 2, 10_000), Clock.systemUTC());
            RecordingEvents events = new RecordingEvents().delivering(q);
            q.start(events);
            ConcurrentLinkedQueue<Throwable> refused = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(50);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> all = new ArrayList<>();
            for (int n = 0; n < 600; n++) {
                String user = "user" + (n % 50);
                int k = n;
                all.add(pool.submit(() -> {
                    go.await();
                    try {
                        q.submit(JobKind.DREAM, user, new JobOrigin("g", "c", null), DreamRequest.of("p" + k, k));
                    } catch (RuntimeException e) {
                        refused.add(e);
                    }
                    return null;
                }));
            }
            // Meanwhile the rest of the bot writes too: posted results recorded, reactions forgotten.
            long first = q.submit(JobKind.DREAM, "first", JobOrigin.none(), DreamRequest.of("first", 1)).job().id();
            AtomicBoolean submitting = new AtomicBoolean(true);
            Thread other = new Thread(() -> {
                long n = 0;
                while (submitting.get()) {
                    try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                            "INSERT INTO discord_messages (message_id, channel_id, job_id, requester, created_at) "
                                    + "VALUES (?, 'c', ?, 'u', 0)")) {
                        s.setString(1, "m" + n++);
                        s.setLong(2, first);
                        s.executeUpdate();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            other.start();
            go.countDown();
            for (Future<?> f : all) {
                f.get(120, TimeUnit.SECONDS);
            }
            submitting.set(false);
            other.join();
            pool.shutdown();
            assertThat(refused).as("refused submissions").extracting(Throwable::toString).isEmpty();
            events.await(l -> l.stream().filter(s -> s.startsWith("done ")).count() == 601);
            q.close();
        }
    }
}
