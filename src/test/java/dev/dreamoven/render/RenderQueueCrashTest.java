package dev.dreamoven.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.store.Database;
import dev.dreamoven.testing.Jvm;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crashes of a separate worker process ({@code kill -9}) and what they cost the queue. */
class RenderQueueCrashTest {

    @TempDir
    Path dir;

    private RenderQueue queue(Database db, RenderEngine engine) {
        return new RenderQueue(db, engine, new RenderQueue.Settings(100, 10, dir.resolve("results"), 2, 1000),
                Clock.systemUTC());
    }

    @Test
    void aCrashLoopWhileTheModelLoadsEatsNoJob() throws Exception {
        Path file = dir.resolve("q.db");
        try (Database db = Database.open(file)) {
            RenderQueue q = queue(db, FakeEngine.instant()); // not started: the jobs only wait
            for (String p : List.of("one", "two", "three")) {
                q.submit(JobKind.DREAM, "ann", JobOrigin.none(), DreamRequest.of(p, 1));
            }
        }
        for (int crash = 0; crash < 3; crash++) { // more crashes than a job has attempts
            try (Jvm worker = Jvm.start(dir, QueueWorkerMain.class.getName(), file.toString(),
                    dir.resolve("results").toString(), "slow-load")) {
                worker.awaitLine(l -> l.startsWith("loading the model"), 120);
                worker.kill();
            }
        }
        try (Database db = Database.open(file)) {
            RenderQueue q = queue(db, FakeEngine.instant());
            RecordingEvents events = new RecordingEvents().delivering(q);
            q.start(events);
            events.await(l -> l.containsAll(List.of("done 1", "done 2", "done 3")));
            assertThat(events.failures).isEmpty();
            assertThat(q.find(1).orElseThrow().job().attempts()).as("only the start that rendered counts").isEqualTo(1);
            q.close();
        }
    }
}
