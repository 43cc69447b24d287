package dev.dreamoven.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderQueueDurabilityTest {

    @TempDir
    Path dir;

    private RenderQueue queue(Database db, RenderEngine engine) {
        return new RenderQueue(db, engine, new RenderQueue.Settings(100, 3, dir.resolve("results"), 2, 10_000),
                Clock.systemUTC());
    }

    private long submitDream(RenderQueue q, String user, String prompt) {
        return q.submit(JobKind.DREAM, user, new JobOrigin("g", "c", null), DreamRequest.of(prompt, 7)).job().id();
    }

    @Test
    void aJobInterruptedByACrashRunsAgainAfterTheRestartAndCompletes() throws Exception {
        Path file = dir.resolve("q.db");
        long id;
        try (Database db = Database.open(file)) {
            FakeEngine stuck = FakeEngine.holding();
            RenderQueue q = queue(db, stuck);
            q.start(new RecordingEvents());
            id = submitDream(q, "ann", "a red circle");
            assertThat(stuck.started.await(5, TimeUnit.SECONDS)).isTrue();
            q.crash();
            assertThat(q.find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        }
        try (Database db = Database.open(file)) {
            FakeEngine engine = FakeEngine.instant();
            RenderQueue q = queue(db, engine);
            RecordingEvents events = new RecordingEvents().delivering(q);
            q.start(events);
            events.awaitLine("done " + id);
            JobRecord r = q.find(id).orElseThrow();
            assertThat(r.status()).isEqualTo(JobStatus.DONE);
            assertThat(r.job().attempts()).isEqualTo(2);
            assertThat(Path.of(r.resultPath().orElseThrow())).exists();
            assertThat(engine.calls).extracting(j -> j.request().prompt()).containsExactly("a red circle");
            q.close();
        }
    }

    @Test
    void aJobThatCrashedTwiceFailsWithAMessageToItsRequester() throws Exception {
        Path file = dir.resolve("q.db");
        long id = -1;
        for (int crash = 0; crash < 2; crash++) {
            try (Database db = Database.open(file)) {
                FakeEngine stuck = FakeEngine.holding();
                RenderQueue q = queue(db, stuck);
                q.start(new RecordingEvents());
                if (crash == 0) {
                    id = submitDream(q, "bob", "a blue square");
                }
                assertThat(stuck.started.await(5, TimeUnit.SECONDS)).isTrue();
                q.crash();
            }
        }
        try (Database db = Database.open(file)) {
            FakeEngine engine = FakeEngine.instant();
            RenderQueue q = queue(db, engine);
            RecordingEvents events = new RecordingEvents();
            q.start(events);
            events.awaitLine("failed " + id);
            assertThat(events.failures.get(0)).contains("a blue square").contains("dropped");
            assertThat(q.find(id).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
            Thread.sleep(100);
            assertThat(engine.calls).isEmpty();
            q.close();
        }
    }

    @Test
    void acceptedJobsSurviveARestartBeforeTheyRan() throws Exception {
        Path file = dir.resolve("q.db");
        try (Database db = Database.open(file)) {
            RenderQueue q = queue(db, FakeEngine.instant()); // never started: nothing runs
            submitDream(q, "ann", "one");
            submitDream(q, "bob", "two");
            q.close();
        }
        try (Database db = Database.open(file)) {
            FakeEngine engine = FakeEngine.instant();
            RenderQueue q = queue(db, engine);
            RecordingEvents events = new RecordingEvents().delivering(q);
            q.start(events);
            events.await(l -> l.contains("done 1") && l.contains("done 2"));
            assertThat(engine.calls).extracting(j -> j.request().prompt()).containsExactly("one", "two");
            q.close();
        }
    }

    @Test
    void aGracefulShutdownPutsTheRunningJobBackWithoutCountingAnAttempt() throws Exception {
        Path file = dir.resolve("q.db");
        long id;
        try (Database db = Database.open(file)) {
            FakeEngine stuck = FakeEngine.holding();
            RenderQueue q = queue(db, stuck);
            q.start(new RecordingEvents());
            id = submitDream(q, "ann", "a tree");
            assertThat(stuck.started.await(5, TimeUnit.SECONDS)).isTrue();
            q.close();
            JobRecord r = q.find(id).orElseThrow();
            assertThat(r.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(r.job().attempts()).isZero();
        }
    }

    @Test
    void aResultFinishedButNotDeliveredIsDeliveredAgainAfterARestart() throws Exception {
        Path file = dir.resolve("q.db");
        long id;
        try (Database db = Database.open(file)) {
            RenderQueue q = queue(db, FakeEngine.instant());
            RecordingEvents lost = new RecordingEvents(); // never marks anything delivered
            q.start(lost);
            id = submitDream(q, "ann", "a cat");
            lost.awaitLine("done " + id);
            q.close();
        }
        try (Database db = Database.open(file)) {
            RenderQueue q = queue(db, FakeEngine.instant());
            RecordingEvents events = new RecordingEvents().delivering(q);
            q.start(events);
            events.awaitLine("done " + id);
            q.close();
        }
        try (Database db = Database.open(file)) {
            RenderQueue q = queue(db, FakeEngine.instant());
            RecordingEvents events = new RecordingEvents();
            q.start(events);
            Thread.sleep(100);
            assertThat(events.lines).doesNotContain("done " + id);
            q.close();
        }
        assertThat(Files.list(dir.resolve("results"))).hasSize(1);
    }

    @Test
    void anEngineFailureFailsOnlyThatJobWithAMessageForItsRequester() throws Exception {
        try (Database db = Database.open(dir.resolve("q.db"))) {
            RenderEngine picky = (job, progress) -> {
                if (job.request().prompt().equals("bad")) {
                    throw new dev.dreamoven.common.InvalidInputException("There is no baked path for \"bad\".");
                }
                if (job.request().prompt().equals("boom")) {
                    throw new IllegalStateException("device lost");
                }
                return FakeEngine.instant().render(job, progress);
            };
            RenderQueue q = queue(db, picky);
            RecordingEvents events = new RecordingEvents().delivering(q);
            q.start(events);
            long bad = submitDream(q, "ann", "bad");
            long boom = submitDream(q, "ann", "boom");
            long good = submitDream(q, "ann", "good");
            events.await(l -> l.contains("done " + good));
            assertThat(events.lines).contains("failed " + bad, "failed " + boom);
            assertThat(events.failures).containsExactly("There is no baked path for \"bad\".",
                    "Sorry, your dream \"boom\" failed in the renderer.");
            assertThat(q.find(boom).orElseThrow().error()).hasValueSatisfying(e -> assertThat(e).contains("device lost"));
            q.close();
        }
    }
}
