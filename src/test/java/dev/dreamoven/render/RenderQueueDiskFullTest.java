package dev.dreamoven.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A full disk: for the database a real SQLITE_FULL (SQLite's {@code max_page_count} caps the file,
 * no root needed), for the pictures a real ENOSPC ({@code /dev/full} behind the picture's temp
 * file name).
 */
class RenderQueueDiskFullTest {

    @TempDir
    Path dir;

    private RenderQueue queue(Database db, RenderEngine engine) {
        return new RenderQueue(db, engine, new RenderQueue.Settings(10_000, 10_000, dir.resolve("results"), 2, 5000,
                50, 400), Clock.systemUTC());
    }

    @Test
    void aFullDatabaseRefusesNewJobsWithAClearMessageNotAnAccident() throws Exception {
        Path file = dir.resolve("q.db");
        long pages;
        try (Database db = Database.open(file); Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            try (ResultSet rs = s.executeQuery("PRAGMA page_count")) {
                rs.next();
                pages = rs.getLong(1);
            }
        }
        try (Database db = Database.open(file, Map.of("max_page_count", Long.toString(pages + 2)))) {
            RenderQueue q = queue(db, FakeEngine.instant()); // not started: every job stays and fills the file
            String big = "x".repeat(250);
            InvalidInputException refused = null;
            for (int n = 0; n < 1000 && refused == null; n++) {
                try {
                    q.submit(JobKind.DREAM, "u" + n, JobOrigin.none(), DreamRequest.of(big + n, n));
                } catch (InvalidInputException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("a submission is refused once the database is full").isNotNull();
            assertThat(refused).hasMessage(RenderQueue.DISK_FULL);
            assertThat(Database.diskFull(refused)).as("SQLITE_FULL is the cause, not hidden by the rollback").isTrue();
            assertThat(Database.explain(refused)).startsWith("the disk is full");
        }
    }

    @Test
    void aPictureThatCannotBeSavedStallsTheWorkerOnceLoudlyThenQuietlyAndTheJobRunsWhenThereIsRoomAgain()
            throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(RenderQueue.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        Path results = dir.resolve("results");
        Files.createDirectories(results);
        Path stale = Files.writeString(results.resolve("job-9.png.tmp"), "half a picture");
        try (Database db = Database.open(dir.resolve("q.db"))) {
            FakeEngine engine = FakeEngine.instant();
            java.util.concurrent.atomic.AtomicBoolean diskFull = new java.util.concurrent.atomic.AtomicBoolean(true);
            Path tmp = results.resolve("job-1.png.tmp");
            RenderEngine fillingTheDisk = (job, progress) -> {
                RenderOutcome o = engine.render(job, progress);
                if (diskFull.get() && !Files.isSymbolicLink(tmp)) {
                    Files.createSymbolicLink(tmp, Path.of("/dev/full")); // whatever is written there: ENOSPC
                }
                return o;
            };
            try (RenderQueue q = queue(db, fillingTheDisk)) { // closed however the test ends: no worker outlives it
                RecordingEvents events = new RecordingEvents().delivering(q);
                q.start(events);
                assertThat(stale).as("partial pictures of a crash are removed at start").doesNotExist();
                long id = q.submit(JobKind.DREAM, "ann", JobOrigin.none(), DreamRequest.of("a red circle", 1)).job().id();
                assertThat(id).isEqualTo(1);
                long end = System.nanoTime() + 10_000_000_000L;
                while (engine.calls.size() < 4 && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                assertThat(q.trouble()).hasValueSatisfying(t -> assertThat(t).contains("the disk is full"));
                assertThat(q.find(id).orElseThrow().status()).isIn(JobStatus.QUEUED, JobStatus.RUNNING);
                assertThat(events.failures).isEmpty();
                assertThat(logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).count())
                        .as("one ERROR for the stall, then only WARNs").isEqualTo(1);
                assertThat(engine.calls.size()).as("retries back off instead of spinning").isLessThan(12);

                diskFull.set(false); // room again
                events.awaitLine("done " + id);
                assertThat(q.trouble()).isEmpty();
                JobRecord r = q.find(id).orElseThrow();
                assertThat(r.status()).isEqualTo(JobStatus.DONE);
                assertThat(r.job().attempts()).as("the full disk cost the job no attempt").isEqualTo(1);
            }
        } finally {
            log.detachAppender(logged);
        }
    }
}
