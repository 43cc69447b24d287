package dev.dreamoven.render;

import dev.dreamoven.store.Database;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A render queue in a process of its own, for tests that kill it: {@code QueueWorkerMain DB RESULTS
 * MODE}. Mode {@code slow-load}: an engine that loads its model lazily inside its first render, as
 * the real one does, and never finishes loading (the test kills it meanwhile). Mode {@code run}:
 * renders every job at once and exits when the queue is empty.
 */
public final class QueueWorkerMain {

    private QueueWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path results = Path.of(args[1]);
        RenderEngine engine = switch (args[2]) {
            case "slow-load" -> (job, progress) -> {
                System.out.println("loading the model for job " + job.id());
                System.out.flush();
                Thread.sleep(600_000);
                return FakeEngine.instant().render(job, progress);
            };
            case "run" -> FakeEngine.instant();
            default -> throw new IllegalArgumentException(args[2]);
        };
        try (Database database = Database.open(db)) {
            RenderQueue q = new RenderQueue(database, engine, new RenderQueue.Settings(100, 10, results, 2, 1000),
                    Clock.systemUTC());
            RecordingEvents events = new RecordingEvents().delivering(q);
            q.start(events);
            System.out.println("started");
            System.out.flush();
            Thread.sleep(200);
            while (!q.idle()) {
                Thread.sleep(20);
            }
            q.close();
            System.out.println(String.join("\n", events.lines));
        }
    }
}
