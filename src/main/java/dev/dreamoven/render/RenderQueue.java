package dev.dreamoven.render;

import com.google.gson.Gson;
import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.common.IoErrors;
import dev.dreamoven.common.UnavailableException;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.store.Database;
import dev.dreamoven.store.OwnerLock;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable render queue: jobs are stored in the database before they are acknowledged, a worker
 * thread runs them through the {@link RenderEngine} (which owns the model and the device), dreams
 * before bakes, oldest first.
 *
 * <p>Two ways to run it. Alone ({@link #start(JobEvents)}, a SQLite file on one machine): this
 * process owns the queue and tells its transport everything itself. Shared ({@link #start(Role,
 * JobEvents, Predicate)}: PostgreSQL, or workers and bots of one SQLite file): workers on any number
 * of hosts claim jobs under leases they renew, writes are fenced by the claim, a job whose worker
 * stopped renewing is taken back by another under the same attempt rule, and bots tell the
 * requesters of their shards what happened through a {@link ResultFeed}.
 *
 * <p>Alone, one process at a time runs the queue of a database: {@link #start} takes the database's
 * {@link OwnerLock} (an OS lock that dies with its process) and a second process is refused. So a
 * job found running at start-up was left by an owner that is gone: it runs once more, and fails
 * with a message to its requester once it has started rendering {@code maxAttempts} times. An
 * attempt counts only once the engine really starts rendering the job ({@link RenderProgress#begin}):
 * a crash while the model loads costs no job anything, and the engine loads its model
 * ({@link RenderEngine#load}) before the worker takes the first job.
 *
 * <p>When the worker cannot go on (a full disk, a model that will not load) it keeps the jobs,
 * says why once ({@link #trouble}), and retries with a growing pause instead of failing job after
 * job.
 */
public final class RenderQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RenderQueue.class);
    private static final long PROGRESS_INTERVAL_MS = 250;
    /** How often a shared worker records its job's progress and preview for bots on other hosts. */
    static final long SHARED_PREVIEW_MS = 2000;
    /** How often an idle worker looks for work without being woken. */
    static final long POLL_MILLIS = 1000;
    /** When a job starts, the waiting jobs up to this position are told their new position. */
    private static final int POSITIONS_UPDATED = 10;
    /** How long a worker holds a job without renewing; it renews every third of it. */
    public static final long DEFAULT_LEASE_MILLIS = 30_000;

    /**
     * @param capacity waiting jobs at most, all users together
     * @param perUser waiting jobs at most per requester
     * @param resultsDir where finished pictures are kept, so a restart can still deliver them
     * @param maxAttempts starts of one job at most (a crash costs one)
     * @param shutdownWaitMillis how long {@link #close()} waits for the engine to notice the shutdown
     * @param retryMillis the first pause of a worker that cannot go on; it doubles up to {@code maxRetryMillis}
     */
    public record Settings(int capacity, int perUser, Path resultsDir, int maxAttempts, long shutdownWaitMillis,
            long retryMillis, long maxRetryMillis, long leaseMillis) {
        public Settings {
            if (capacity < 1 || perUser < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("capacity, per-user and attempts must be at least 1");
            }
            if (retryMillis < 1 || maxRetryMillis < retryMillis) {
                throw new IllegalArgumentException("retry pauses must be positive and the longest at least the first");
            }
            if (leaseMillis < 30) {
                throw new IllegalArgumentException("a worker's lease must be at least 30 ms");
            }
        }

        /** A worker's lease of 30 s, renewed every 10 s. */
        public Settings(int capacity, int perUser, Path resultsDir, int maxAttempts, long shutdownWaitMillis,
                long retryMillis, long maxRetryMillis) {
            this(capacity, perUser, resultsDir, maxAttempts, shutdownWaitMillis, retryMillis, maxRetryMillis,
                    DEFAULT_LEASE_MILLIS);
        }

        /** The same settings with another lease. */
        public Settings withLeaseMillis(long millis) {
            return new Settings(capacity, perUser, resultsDir, maxAttempts, shutdownWaitMillis, retryMillis,
                    maxRetryMillis, millis);
        }

        /** Retries after 1 s, 2 s, 4 s, … at most a minute apart. */
        public Settings(int capacity, int perUser, Path resultsDir, int maxAttempts, long shutdownWaitMillis) {
            this(capacity, perUser, resultsDir, maxAttempts, shutdownWaitMillis, 1_000, 60_000);
        }
    }

    /** A job accepted into the queue at {@code position} (1 = next). */
    public record Submission(RenderJob job, int position) {
    }

    /** What {@link #cancel} did. */
    public enum CancelResult { CANCELLED, STOPPING, NOT_FOUND, NOT_YOURS, ALREADY_FINISHED }

    private final Database db;
    private final JobStore store;
    private final RenderEngine engine;
    private final Settings settings;
    private final Clock clock;
    private final Gson gson = new Gson();
    private final Object lock = new Object();

    private volatile JobEvents events = JobEvents.NONE;
    private volatile boolean stopping;
    private volatile boolean crashed;
    private volatile long runningId = -1;
    /**
     * The claim asked to stop (cancelled here, or on another host as its lease renewal found). A claim,
     * not a job id: a flag set late for a job that already finished cannot stop the next one.
     */
    private volatile JobStore.Claimed cancelledClaim;
    /** Why the worker cannot go on, while it cannot; null when all is well. */
    private volatile String trouble;
    private volatile boolean diskFull;
    private Thread worker;
    private OwnerLock owner;
    /**
     * False: this process owns the database (SQLite's single owner) and tells the transport itself.
     * True: one of several workers; what happens to a job reaches the requester through a bot's
     * {@link ResultFeed}.
     */
    private volatile boolean shared;
    /** This worker's name in the jobs it holds ({@code jobs.worker}). */
    private final String workerId;
    /** The job this worker renders, and how far it is (renewed with its lease). */
    private volatile JobStore.Claimed current;
    private volatile int currentStep;
    private volatile int currentTotal;
    /** The claim whose lease ran out and whose job went back to the queue: its result is not ours to write. */
    private volatile JobStore.Claimed lostClaim;
    private volatile boolean cutOff;
    private ResultFeed resultFeed;
    private OwnerLock sharedLock;
    private ScheduledExecutorService leases;
    /** Wakes the worker when a job is queued elsewhere (PostgreSQL's NOTIFY); the worker also polls. */
    private AutoCloseable wakeups;

    public RenderQueue(Database db, RenderEngine engine, Settings settings, Clock clock) {
        this.db = db;
        this.store = new JobStore(db);
        this.engine = engine;
        this.settings = settings;
        this.clock = clock;
        this.workerId = WorkerIds.next();
    }

    public Settings settings() {
        return settings;
    }

    /** What a process does with the queue ({@code serve --role}). */
    public enum Role {
        /** Takes jobs and renders them; tells requesters nothing (a bot does). */
        WORKER,
        /** Takes jobs from its chat and tells requesters what the workers did; renders nothing. */
        BOT,
        /** Both: on SQLite as the database's one owner; on PostgreSQL as a worker and a bot among others. */
        ALL
    }

    /**
     * Starts what {@code role} does. {@code mine} says which jobs' requesters a bot tells (those of its
     * shards); the single owner of a SQLite database tells everyone.
     */
    public void start(Role role, JobEvents transport, Predicate<JobOrigin> mine) {
        switch (role) {
            case WORKER -> startWorker();
            case BOT -> startBot(transport, mine);
            case ALL -> {
                if (db.dialect() == Database.Dialect.SQLITE) {
                    start(transport);
                } else {
                    startWorker();
                    startBot(transport, mine);
                }
            }
        }
    }

    private void startBot(JobEvents transport, Predicate<JobOrigin> mine) {
        synchronized (lock) {
            shareSqliteFile("a bot");
        }
        attach(transport);
        ResultFeed f = feed(transport, mine, ResultFeed.Settings.defaults());
        synchronized (lock) {
            resultFeed = f;
        }
        f.start(db);
    }

    /**
     * Becomes the database's one owner, recovers what a previous owner left behind (interrupted
     * jobs, undelivered results, partial pictures), then starts the worker. Notifications go to
     * {@code transport} from now on.
     *
     * @throws UnavailableException when another process runs this database's queue
     */
    public void start(JobEvents transport) {
        if (db.dialect() != Database.Dialect.SQLITE) {
            // no single owner on a shared server: a worker and a bot that tells everyone
            start(Role.ALL, transport, origin -> true);
            return;
        }
        synchronized (lock) {
            if (worker != null) {
                throw new IllegalStateException("the render queue was started already");
            }
            owner = OwnerLock.acquire(db.file(), "the render queue");
            this.events = transport;
            try {
                recover();
            } catch (RuntimeException e) {
                owner.close();
                owner = null;
                throw e;
            }
            startThreads();
        }
    }

    /**
     * Starts one of several workers of a shared database (PostgreSQL, or SQLite on one host): no
     * owner lock, no transport; a job whose worker stops renewing its lease (a crash, a lost host) is
     * taken back by any worker under the same attempt rules, and bots tell requesters what happened
     * ({@link #feed}).
     */
    public void startWorker() {
        synchronized (lock) {
            if (worker != null) {
                throw new IllegalStateException("the render queue was started already");
            }
            shareSqliteFile("a render worker");
            shared = true;
            wakeups = Wakeups.listen(db, JobStore.JOBS_CHANNEL, this::wake);
            startThreads();
            LOG.info("render worker {} takes jobs from the shared queue ({})", workerId, db.dialect());
        }
    }

    /** Without a worker here (a bot process): submissions and cancellations are told to {@code transport}. */
    public void attach(JobEvents transport) {
        shared = true;
        this.events = transport;
    }

    /**
     * What a bot process runs to tell requesters what the workers did: finished jobs of the origins it
     * serves ({@code mine}: its shards), each delivered by one bot, and progress of running jobs.
     */
    public ResultFeed feed(JobEvents transport, Predicate<JobOrigin> mine, ResultFeed.Settings feedSettings) {
        return new ResultFeed(store, this, transport, mine, feedSettings, clock);
    }

    /** Workers and bots of one SQLite file share it with each other, never with its single owner ({@link #start}). */
    private void shareSqliteFile(String what) {
        if (db.dialect() == Database.Dialect.SQLITE && sharedLock == null) {
            sharedLock = OwnerLock.share(db.file(), what);
        }
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private void startThreads() {
        leases = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "render-lease");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, settings.leaseMillis() / 3);
        leases.scheduleWithFixedDelay(this::renewLease, every, every, TimeUnit.MILLISECONDS);
        worker = new Thread(this::work, "render-worker");
        worker.setDaemon(true);
        worker.start();
    }

    /** Renews the current job's lease (with its progress), and learns of a cancellation asked on another host. */
    private void renewLease() {
        JobStore.Claimed c = current;
        if (c == null || crashed || cutOff) {
            return;
        }
        try {
            switch (store.renew(c.job().id(), c.claim(), clock.millis(), settings.leaseMillis(), currentStep,
                    currentTotal)) {
                case LOST -> {
                    if (current == c) {
                        LOG.warn("job {} is no longer this worker's (its lease ran out); its result will be dropped",
                                c.job().id());
                        lostClaim = c;
                    }
                }
                case CANCEL_REQUESTED -> {
                    if (current == c) {
                        cancelledClaim = c;
                    }
                }
                case HELD -> {
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot renew the lease of job {}: {}", c.job().id(), Database.explain(e));
        }
    }

    /**
     * Durably queues a job, or refuses it: the limits every transport shares
     * ({@link DreamRequest#validate}), then what only the engine knows (a prompt longer than the
     * model's context), then the queue's own limits.
     *
     * @throws QueueFullException when {@code render.capacity} jobs wait
     * @throws UserLimitException when the requester has {@code render.per-user} jobs queued or running
     */
    public Submission submit(JobKind kind, String requesterId, JobOrigin origin, DreamRequest request) {
        if (stopping) {
            throw new InvalidInputException("Dream Oven is shutting down; please try again in a minute.");
        }
        request.validate();
        engine.validate(kind, request);
        synchronized (lock) {
            try {
                long id = store.insertIfRoom(kind, requesterId, origin, request, clock.millis(),
                        settings.capacity(), settings.perUser());
                RenderJob job = new RenderJob(id, kind, requesterId, origin, request, 0);
                int position = store.position(id);
                notifySafely("accepted", () -> events.accepted(job, position));
                lock.notifyAll(); // a worker in this process starts at once; others hear NOTIFY or poll
                return new Submission(job, position);
            } catch (SQLException e) {
                if (Database.diskFull(e)) {
                    LOG.warn("a job was refused: {}", Database.explain(e));
                    throw new InvalidInputException(DISK_FULL, e);
                }
                throw new Database.StoreException("cannot queue the job: " + Database.explain(e), e);
            }
        }
    }

    /** What a requester hears when the disk is full. */
    static final String DISK_FULL = "Sorry, Dream Oven's disk is full, so it cannot take new jobs just now. "
            + "Please try again later.";

    /**
     * Why the worker cannot go on (one line for the operator: "the disk is full …"), while it
     * cannot; empty when all is well. Jobs wait meanwhile; the worker retries by itself.
     */
    public Optional<String> trouble() {
        return Optional.ofNullable(trouble);
    }

    /**
     * Cancels a queued job at once, or asks the engine to stop the running one.
     *
     * @param mayCancelAny an administrator may cancel anybody's job
     */
    public CancelResult cancel(long jobId, String userId, boolean mayCancelAny) {
        try {
            Optional<JobRecord> found = store.find(jobId);
            if (found.isEmpty()) {
                return CancelResult.NOT_FOUND;
            }
            JobRecord r = found.get();
            if (!mayCancelAny && !r.job().requesterId().equals(userId)) {
                return CancelResult.NOT_YOURS;
            }
            synchronized (lock) {
                if (store.cancelIfQueued(jobId, clock.millis())) {
                    notifySafely("cancelled", () -> events.cancelled(r.job()));
                    return CancelResult.CANCELLED;
                }
                if (runningId == jobId) {
                    cancelledClaim = current;
                    return CancelResult.STOPPING;
                }
            }
            // running on another worker (host): it learns of it when it next renews its lease
            return store.requestCancel(jobId) ? CancelResult.STOPPING : CancelResult.ALREADY_FINISHED;
        } catch (SQLException e) {
            throw new Database.StoreException("cannot cancel job " + jobId + ": " + e.getMessage(), e);
        }
    }

    /** The requester's newest unfinished job, for a {@code /cancel} without a job id. */
    public Optional<RenderJob> latestUnfinished(String requesterId) {
        try {
            return store.latestUnfinished(requesterId).map(JobRecord::job);
        } catch (SQLException e) {
            throw new Database.StoreException(e.getMessage(), e);
        }
    }

    public Optional<JobRecord> find(long jobId) {
        try {
            return store.find(jobId);
        } catch (SQLException e) {
            throw new Database.StoreException(e.getMessage(), e);
        }
    }

    /** 1 = next; 0 when the job is not waiting (running or finished). */
    public int position(long jobId) {
        try {
            return store.position(jobId);
        } catch (SQLException e) {
            throw new Database.StoreException(e.getMessage(), e);
        }
    }

    /** The running job (if any) and the waiting ones, in service order. */
    public List<JobRecord> snapshot(int limit) {
        try {
            return store.unfinished(limit);
        } catch (SQLException e) {
            throw new Database.StoreException(e.getMessage(), e);
        }
    }

    /** The running job (from wherever it came) and the waiting jobs of one guild, in service order. */
    public List<JobRecord> snapshotOf(String guildId, int limit) {
        try {
            return store.unfinishedOf(guildId, limit);
        } catch (SQLException e) {
            throw new Database.StoreException(e.getMessage(), e);
        }
    }

    /** True when nothing is queued or running, and the worker has finished notifying about its last job. */
    public boolean idle() {
        try {
            return runningId == -1 && store.countUnfinished() == 0;
        } catch (SQLException e) {
            throw new Database.StoreException(e.getMessage(), e);
        }
    }

    /** The transport delivered this job's result; it will not be delivered again after a restart. */
    public void markDelivered(long jobId) {
        try {
            store.markDelivered(jobId);
        } catch (SQLException e) {
            LOG.warn("cannot mark job {} delivered: {}", jobId, e.getMessage());
        }
    }

    /**
     * The transport could not deliver this job's result; after {@code maxTries} failures (restarts included) the
     * result is given up: it is never delivered again.
     *
     * @return true when this failure gave it up
     */
    public boolean deliveryFailed(long jobId, String error, int maxTries) {
        try {
            int tries = store.deliveryFailed(jobId, error, maxTries);
            if (tries >= maxTries) {
                LOG.warn("the result of job {} could not be delivered in {} tries and is given up: {}", jobId, tries,
                        error);
                return true;
            }
            return false;
        } catch (SQLException e) {
            LOG.warn("cannot count a failed delivery of job {}: {}", jobId, e.getMessage());
            return false;
        }
    }

    /**
     * Graceful stop: asks the engine to stop the running job, which goes back to the queue
     * without counting as an attempt, waits for the worker, and gives up ownership of the database.
     */
    @Override
    public void close() {
        Thread w;
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
            w = worker;
        }
        if (w != null) {
            try {
                w.join(settings.shutdownWaitMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (w.isAlive()) {
                LOG.warn("the render worker did not stop within {} ms; its job runs again at the next start",
                        settings.shutdownWaitMillis());
            }
        }
        synchronized (lock) {
            if (leases != null) {
                leases.shutdownNow();
            }
            closeQuietly(resultFeed);
            resultFeed = null;
            closeQuietly(wakeups);
            wakeups = null;
            if (owner != null) {
                owner.close();
                owner = null;
            }
            if (sharedLock != null) {
                sharedLock.close();
                sharedLock = null;
            }
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed: {}", c, e.toString());
        }
    }

    /** Simulates a host cut off from the database (for tests): the worker renders on but renews no lease. */
    void cutOff() {
        cutOff = true;
    }

    /** Simulates a crash (for tests): the worker stops without writing anything more to the database. */
    void crash() {
        crashed = true;
        close();
    }

    /**
     * What the owner before left: jobs it was running (it is gone, since this process holds the
     * owner lock), results it never delivered, and partial pictures ({@code job-N.png.tmp}).
     */
    private void recover() {
        removePartialPictures();
        try {
            for (JobStore.Claimed c : store.running()) {
                takeBack(c);
            }
            List<JobRecord> waiting = store.unfinished(settings.capacity() + 1);
            for (int n = 0; n < waiting.size(); n++) {
                RenderJob j = waiting.get(n).job();
                int position = n + 1;
                notifySafely("recovered", () -> events.recovered(j, position));
            }
            for (JobStore.Undelivered u : store.undelivered()) {
                RenderJob j = u.record().job();
                Optional<String> path = u.record().resultPath();
                if (path.isPresent() && Files.isRegularFile(Path.of(path.get())) && u.outcomeJson() != null) {
                    RenderOutcome outcome = gson.fromJson(u.outcomeJson(), RenderOutcome.class)
                            .withPng(Files.readAllBytes(Path.of(path.get())));
                    LOG.info("delivering the result of job {} again", j.id());
                    notifySafely("done", () -> events.done(j, outcome, Path.of(path.get())));
                } else {
                    String msg = lostPicture(j);
                    store.loseResult(j.id(), clock.millis(), msg);
                    told("failed", j, () -> events.failed(j, msg));
                }
            }
        } catch (SQLException | IOException e) {
            if (Database.diskFull(e)) {
                throw new UnavailableException("cannot start the render queue: " + Database.explain(e), e);
            }
            throw new Database.StoreException("cannot recover the render queue: " + Database.explain(e), e);
        }
    }

    /** What a requester hears when the picture of a finished job is gone before it was posted. */
    static String lostPicture(RenderJob j) {
        return "Sorry, the picture of job #" + j.id() + " was lost before it could be posted.";
    }

    /**
     * A job whose worker is gone (a crash, an expired lease): back in the queue, or failed once it
     * has started rendering {@code maxAttempts} times. Fenced on its claim, so of two workers that
     * find it, one takes it back.
     */
    private void takeBack(JobStore.Claimed c) throws SQLException {
        RenderJob j = c.job();
        int attempts = store.attempts(j.id());
        if (attempts >= settings.maxAttempts()) {
            String msg = "Sorry, your " + noun(j) + " \"" + j.request().prompt() + "\" (job #" + j.id()
                    + ") stopped the renderer " + attempts + " times, so it was dropped.";
            if (store.finish(j.id(), c.claim(), JobStatus.FAILED, clock.millis(), msg, msg, null, null)) {
                LOG.warn("job {} crashed {} times; failed", j.id(), attempts);
                told("failed", j, () -> events.failed(j, msg));
            }
        } else if (store.requeueAfterCrash(j.id(), c.claim())) {
            LOG.info("job {} was interrupted by a crash{}; it runs again", j.id(),
                    attempts == 0 ? " before it started rendering" : "");
        }
    }

    /**
     * Tells the transport (the single owner does it itself) and records that the requester was told;
     * a shared worker tells nobody: a bot's {@link ResultFeed} does.
     */
    private void told(String what, RenderJob job, Runnable call) throws SQLException {
        if (shared) {
            return;
        }
        notifySafely(what, call);
        store.markDelivered(job.id());
    }

    private void removePartialPictures() {
        if (!Files.isDirectory(settings.resultsDir())) {
            return;
        }
        try (DirectoryStream<Path> partial = Files.newDirectoryStream(settings.resultsDir(), "*.png.tmp")) {
            for (Path p : partial) {
                Files.deleteIfExists(p);
                LOG.info("removed the partial picture {}", p);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove partial pictures in {}: {}", settings.resultsDir(), IoErrors.reason(e));
        }
    }

    private void work() {
        boolean loaded = false;
        long pause = 0;
        JobStore.Claimed orphan = null; // claimed, then left running by a failure of the worker itself
        while (!stopping) {
            JobStore.Claimed claimed = null;
            try {
                if (!loaded) {
                    engine.load();
                    loaded = true;
                }
                if (orphan != null) {
                    putBack(orphan);
                    orphan = null;
                }
                if (shared) {
                    for (JobStore.Claimed gone : store.expired(clock.millis())) {
                        takeBack(gone);
                    }
                }
                Optional<JobStore.Claimed> next;
                synchronized (lock) {
                    next = store.claimNext(workerId, clock.millis(), settings.leaseMillis());
                    if (next.isEmpty()) {
                        recovered();
                        pause = 0;
                        lock.wait(POLL_MILLIS);
                        continue;
                    }
                    claimed = next.get();
                    runningId = claimed.job().id();
                    currentStep = 0;
                    currentTotal = 0;
                    current = claimed;
                }
                announcePositions();
                run(claimed);
                recovered();
                pause = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception | OutOfMemoryError e) {
                if (crashed) {
                    return;
                }
                orphan = claimed != null ? claimed : orphan;
                pause = pause == 0 ? settings.retryMillis() : Math.min(2 * pause, settings.maxRetryMillis());
                diskFull = Database.diskFull(e);
                stalled(loaded ? "the render worker cannot go on: " + Database.explain(e)
                        : "the render engine cannot load its model: " + Database.explain(e), pause, e);
                if (!sleepUnlessStopping(pause)) {
                    putBackQuietly(orphan);
                    return;
                }
            } finally {
                current = null;
                runningId = -1;
            }
        }
    }

    /** Says once what is wrong (ERROR), then only a WARN per retry, ever further apart. */
    private void stalled(String why, long pause, Throwable cause) {
        if (!why.equals(trouble)) {
            LOG.error("{}; jobs wait, retrying in {} s", why, pause / 1000.0, Database.diskFull(cause) ? null : cause);
        } else {
            LOG.warn("{}; retrying in {} s", why, pause / 1000.0);
        }
        trouble = why;
    }

    private void recovered() {
        if (trouble != null) {
            LOG.info("the render worker goes on again");
            trouble = null;
            diskFull = false;
        }
    }

    /**
     * Puts a job that a failure of the worker left running back in the queue. A full disk is not
     * the job's fault: its attempt is given back. Anything else costs the attempt, and a job that
     * has used them all fails, so one poisoned job cannot stall the queue for ever.
     */
    private void putBack(JobStore.Claimed claimed) throws SQLException {
        RenderJob job = claimed.job();
        int attempts = Math.max(store.attempts(job.id()), job.attempts() + 1);
        if (diskFull) {
            store.requeue(job.id(), claimed.claim(), job.attempts());
        } else if (attempts >= settings.maxAttempts()) {
            String msg = "Sorry, your " + noun(job) + " \"" + job.request().prompt() + "\" (job #" + job.id()
                    + ") failed in the renderer.";
            if (store.finish(job.id(), claimed.claim(), JobStatus.FAILED, clock.millis(), trouble, msg, null, null)) {
                told("failed", job, () -> events.failed(job, msg));
            }
        } else {
            store.requeue(job.id(), claimed.claim(), attempts);
        }
    }

    private void putBackQuietly(JobStore.Claimed claimed) {
        if (claimed == null) {
            return;
        }
        RenderJob job = claimed.job();
        try {
            store.requeue(job.id(), claimed.claim(), job.attempts());
        } catch (SQLException e) {
            LOG.warn("job {} stays running until the next start: {}", job.id(), Database.explain(e));
        }
    }

    /** False when a stop came during the pause ({@link #close} wakes it). */
    private boolean sleepUnlessStopping(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        synchronized (lock) {
            try {
                for (long left = millis; !stopping && left > 0; left = (end - System.nanoTime()) / 1_000_000) {
                    lock.wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !stopping;
    }

    private void run(JobStore.Claimed claimed) throws SQLException, IOException {
        RenderJob job = claimed.job();
        long claim = claimed.claim();
        notifySafely("started", () -> workerEvents().started(job));
        RenderProgress progress = new RenderProgress() {
            private long lastReport;
            private long lastShared;
            private boolean begun;

            @Override
            public void begin() {
                if (!begun) {
                    begun = true;
                    try {
                        store.countAttempt(job.id(), claim);
                    } catch (SQLException e) {
                        throw new Database.StoreException("cannot count an attempt of job " + job.id() + ": "
                                + Database.explain(e), e);
                    }
                }
            }

            @Override
            public void planned(String plan) {
                notifySafely("planned", () -> workerEvents().planned(job, plan));
            }

            @Override
            public void update(int step, int totalSteps, double similarity, Supplier<byte[]> previewPng) {
                begin();
                currentStep = step;
                currentTotal = totalSteps;
                long now = clock.millis();
                if (now - lastReport >= PROGRESS_INTERVAL_MS || step >= totalSteps) {
                    lastReport = now;
                    notifySafely("progress", () -> workerEvents().progress(job, step, totalSteps, similarity, previewPng));
                }
                if (shared && now - lastShared >= SHARED_PREVIEW_MS) {
                    lastShared = now;
                    // encoded here, on the worker thread that owns the engine's tensors
                    try {
                        store.recordProgress(job.id(), claim, step, totalSteps, previewPng.get());
                    } catch (SQLException e) {
                        LOG.debug("cannot record the progress of job {}: {}", job.id(), e.getMessage());
                    }
                }
            }

            @Override
            public boolean cancelled() {
                return cancelledClaim == claimed || stopping || lostClaim == claimed;
            }
        };
        RenderOutcome outcome = null;
        Throwable failure = null;
        try {
            outcome = engine.render(job, progress);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            // An engine that runs out of (device) memory fails this job, not the worker.
            failure = e;
        }
        if (crashed) {
            return;
        }
        if (lostClaim == claimed) {
            LOG.warn("job {}: dropped what this worker rendered; the job is another worker's now", job.id());
            return;
        }
        if (failure != null && Database.diskFull(failure)) {
            throw new IOException("job " + job.id() + " stopped: no space left on device", failure);
        }
        if (cancelledClaim == claimed) {
            if (store.finish(job.id(), claim, JobStatus.CANCELLED, clock.millis(), null, null, null, null)) {
                told("cancelled", job, () -> events.cancelled(job));
            }
        } else if (stopping) {
            LOG.info("shutting down: job {} goes back to the queue", job.id());
            store.requeue(job.id(), claim, job.attempts());
        } else if (failure != null || outcome == null) {
            String msg = failure instanceof InvalidInputException ? failure.getMessage()
                    : "Sorry, your " + noun(job) + " \"" + job.request().prompt() + "\" failed in the renderer.";
            if (failure instanceof InvalidInputException) {
                LOG.info("job {} was refused by the engine: {}", job.id(), failure.getMessage());
            } else {
                LOG.warn("job {} failed", job.id(), failure);
            }
            if (store.finish(job.id(), claim, JobStatus.FAILED, clock.millis(),
                    failure == null ? "no result" : failure.toString(), msg, null, null)) {
                told("failed", job, () -> events.failed(job, msg));
            }
        } else {
            // A picture that cannot be saved (a full disk) stalls the worker; the job waits, it does not fail.
            Path file = writeResult(job, claim, outcome.png());
            if (!store.finish(job.id(), claim, JobStatus.DONE, clock.millis(), null, null, file.toString(),
                    gson.toJson(outcome.withPng(new byte[0])))) {
                LOG.warn("job {}: dropped what this worker rendered; the job is another worker's now", job.id());
                Files.deleteIfExists(file);
                return;
            }
            recovered(); // the picture is saved: whatever stalled the worker is over before anyone hears of it
            if (!shared) {
                RenderOutcome done = outcome;
                notifySafely("done", () -> events.done(job, done, file));
            }
        }
    }

    /** The waiting jobs moved up by one: their new positions (the first few; the rest learn theirs later). */
    private void announcePositions() throws SQLException {
        List<JobRecord> waiting = store.unfinished(POSITIONS_UPDATED + 1);
        int position = 0;
        for (JobRecord r : waiting) {
            if (r.status() == JobStatus.QUEUED) {
                int p = ++position;
                notifySafely("moved", () -> workerEvents().moved(r.job(), p));
            }
        }
    }

    /**
     * Saves a picture as {@code job-N.png}; a shared worker as {@code job-N-cK.png} for its K-th
     * claim (the results folder is shared by workers on several hosts, and a worker cut off from its
     * job must not overwrite the picture of the one that took it over).
     */
    private Path writeResult(RenderJob job, long claim, byte[] png) throws IOException {
        Files.createDirectories(settings.resultsDir());
        String name = "job-" + job.id() + (shared ? "-c" + claim : "") + ".png";
        Path target = settings.resultsDir().resolve(name);
        Path tmp = settings.resultsDir().resolve(name + ".tmp");
        try {
            Files.write(tmp, png);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new IOException("cannot save the picture of job " + job.id() + " in " + settings.resultsDir()
                    + ": " + IoErrors.reason(e), e);
        }
        return target;
    }

    /**
     * Where the worker's own news of a job goes: the transport when this process owns the queue;
     * nowhere for a shared worker, whose job may belong to a bot on another host (that bot shows
     * progress from the database, {@link ResultFeed}).
     */
    private JobEvents workerEvents() {
        return shared ? JobEvents.NONE : events;
    }

    private static String noun(RenderJob job) {
        return job.kind() == JobKind.BAKE ? "bake" : "dream";
    }

    /** Calls the transport; a transport that throws is logged, never lets the queue (or a bot's feed) fail. */
    static void notifySafely(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("the transport failed on '{}': {}", what, e.toString());
        }
    }

}
