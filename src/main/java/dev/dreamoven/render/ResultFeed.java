package dev.dreamoven.render;

import com.google.gson.Gson;
import dev.dreamoven.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bot's view of workers on other hosts (or processes): what they finished reaches the requester
 * from here. For the jobs of the origins this bot serves (its shards), it delivers each finished job
 * under a delivery lease, so that one bot of several delivers it, and a bot killed mid-delivery leaves
 * it to another once the lease ends; and it shows running jobs' progress as their workers record it.
 * Woken by PostgreSQL's {@code NOTIFY} when a job finishes; it also polls, so a lost notification
 * only delays.
 *
 * <p>A result is marked delivered by the transport once posted ({@link RenderQueue#markDelivered});
 * a failure or cancellation once told.
 */
public final class ResultFeed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultFeed.class);
    private static final int BATCH = 50;
    /** Waiting jobs told their position as the queue moves: the first ten, as on one host. */
    private static final int POSITIONS_TOLD = 10;

    /**
     * @param poll how often it looks without a notification
     * @param deliveryLease how long one bot has a finished job to itself; longer than its delivery tries take
     */
    public record Settings(Duration poll, Duration deliveryLease) {
        public Settings {
            if (poll.isNegative() || poll.isZero() || deliveryLease.isNegative() || deliveryLease.isZero()) {
                throw new IllegalArgumentException("the poll and the delivery lease must be positive");
            }
        }

        /** Polls every second; a delivery is a bot's for two minutes. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(1), Duration.ofMinutes(2));
        }
    }

    private final JobStore store;
    private final RenderQueue queue;
    private final JobEvents events;
    private final Predicate<JobOrigin> mine;
    private final Settings settings;
    private final Clock clock;
    private final String deliverer = WorkerIds.next();
    private final Gson gson = new Gson();
    private final Object lock = new Object();
    /** The step last shown of each running job this bot shows; started is told once per job. */
    private final Map<Long, Integer> shown = new HashMap<>();
    /** The position last told of each of the first waiting jobs of this bot's shards. */
    private final Map<Long, Integer> positions = new HashMap<>();
    private volatile boolean stopping;
    private Thread thread;
    private AutoCloseable wakeups;

    ResultFeed(JobStore store, RenderQueue queue, JobEvents events, Predicate<JobOrigin> mine, Settings settings,
            Clock clock) {
        this.store = store;
        this.queue = queue;
        this.events = events;
        this.mine = mine;
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts delivering in the background. */
    public void start(Database db) {
        synchronized (lock) {
            if (thread != null) {
                throw new IllegalStateException("the result feed was started already");
            }
            wakeups = Wakeups.listen(db, JobStore.RESULTS_CHANNEL, this::wake);
            thread = new Thread(this::run, "result-feed");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void run() {
        while (!stopping) {
            try {
                pollOnce();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("cannot read finished jobs: {}; trying again", Database.explain(e));
            }
            synchronized (lock) {
                if (stopping) {
                    return;
                }
                try {
                    lock.wait(settings.poll().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** One look: delivers what is finished and not yet told, shows progress of what runs. Returns the jobs delivered. */
    int pollOnce() throws SQLException {
        int delivered = 0;
        List<JobStore.Finished> finished;
        long after = 0; // pages through all of them: those of other bots' shards may wait (their bot is down)
        do {
            finished = store.toDeliver(clock.millis(), after, BATCH);
            for (JobStore.Finished f : finished) {
                if (stopping) {
                    return delivered;
                }
                RenderJob job = f.record().job();
                after = job.id();
                if (mine.test(job.origin())
                        && store.claimDelivery(job.id(), deliverer, clock.millis(), settings.deliveryLease().toMillis())) {
                    deliver(f);
                    delivered++;
                }
            }
        } while (finished.size() == BATCH);
        List<JobStore.Running> running = store.runningProgress(); // with their previews: read once a poll
        showProgress(running);
        showPositions(running.size());
        return delivered;
    }

    /**
     * Tells the first waiting jobs of this bot's shards their new position when it changed (as the
     * single owner does when a job starts); the others learn theirs when they come near.
     */
    private void showPositions(int runningJobs) throws SQLException {
        Map<Long, Integer> now = new HashMap<>();
        int position = 0;
        for (JobRecord r : store.unfinished(POSITIONS_TOLD + runningJobs)) {
            if (r.status() != JobStatus.QUEUED || ++position > POSITIONS_TOLD) {
                continue;
            }
            RenderJob job = r.job();
            if (!mine.test(job.origin())) {
                continue;
            }
            int p = position;
            if (!Integer.valueOf(p).equals(positions.get(job.id()))) {
                RenderQueue.notifySafely("moved", () -> events.moved(job, p));
            }
            now.put(job.id(), p);
        }
        positions.clear();
        positions.putAll(now);
    }

    private void deliver(JobStore.Finished f) throws SQLException {
        JobRecord r = f.record();
        RenderJob job = r.job();
        shown.remove(job.id());
        switch (r.status()) {
            case DONE -> {
                Optional<Path> file = r.resultPath().map(Path::of);
                byte[] png = null;
                if (file.isPresent() && f.outcomeJson() != null) {
                    try {
                        png = Files.readAllBytes(file.get());
                    } catch (NoSuchFileException e) {
                        png = null;
                    } catch (IOException e) {
                        LOG.warn("cannot read the picture of job {} ({}); trying again later", job.id(), e.toString());
                        return; // the delivery lease ends, and this or another bot tries again
                    }
                }
                if (png == null) {
                    String msg = RenderQueue.lostPicture(job);
                    store.loseResult(job.id(), clock.millis(), msg);
                    tell(job, () -> events.failed(job, msg));
                    return;
                }
                RenderOutcome outcome = gson.fromJson(f.outcomeJson(), RenderOutcome.class).withPng(png);
                // the transport marks it delivered once posted
                RenderQueue.notifySafely("done", () -> events.done(job, outcome, file.get()));
            }
            case FAILED -> tell(job, () -> events.failed(job, f.notice() != null ? f.notice()
                    : "Sorry, your job #" + job.id() + " failed in the renderer."));
            case CANCELLED -> tell(job, () -> events.cancelled(job));
            default -> LOG.warn("job {} is {}, not finished; not delivered", job.id(), r.status());
        }
    }

    private void tell(RenderJob job, Runnable call) {
        RenderQueue.notifySafely("told", call);
        queue.markDelivered(job.id());
    }

    private void showProgress(List<JobStore.Running> running) {
        Map<Long, Integer> still = new HashMap<>();
        for (JobStore.Running r : running) {
            RenderJob job = r.job();
            if (!mine.test(job.origin())) {
                continue;
            }
            Integer last = shown.get(job.id());
            if (last == null) {
                RenderQueue.notifySafely("started", () -> events.started(job));
            }
            if (r.totalSteps() > 0 && (last == null || r.step() != last)) {
                RenderQueue.notifySafely("progress",
                        () -> events.progress(job, r.step(), r.totalSteps(), Double.NaN, r::previewPng));
            }
            still.put(job.id(), r.step());
        }
        shown.clear();
        shown.putAll(still);
    }

    @Override
    public void close() {
        Thread t;
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
            t = thread;
        }
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RenderQueue.closeQuietly(wakeups);
    }
}
