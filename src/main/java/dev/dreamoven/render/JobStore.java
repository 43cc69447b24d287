package dev.dreamoven.render;

import com.google.gson.Gson;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code jobs} table (migrations V10, V32, V33): the durable queue's rows. Plain JDBC, one short
 * transaction per call, the same statements on SQLite and PostgreSQL but for three places: a claim
 * skips rows other workers hold ({@code FOR UPDATE SKIP LOCKED}), a submission takes an advisory lock
 * so the limits hold across hosts (SQLite's {@code BEGIN IMMEDIATE} serialises it already), and a
 * queued or finished job is announced with {@code NOTIFY}.
 *
 * <p>A worker renders a job under a lease it renews ({@link #renew}); each claim increments the
 * row's {@code claim}, and every write of a worker names the claim it holds, so a worker whose lease
 * expired and whose job went to another cannot write its late result.
 */
final class JobStore {

    private static final String COLUMNS = "id, kind, requester, guild_id, channel_id, reply_key, request_json, "
            + "status, attempts, created_at, error, result_path, claim";
    /** PostgreSQL's channels ({@code LISTEN}/{@code NOTIFY}): a job was queued; a job finished. */
    static final String JOBS_CHANNEL = "dreamoven_jobs";
    static final String RESULTS_CHANNEL = "dreamoven_results";
    /** The advisory lock that serialises submissions on PostgreSQL, so the queue's limits hold across hosts. */
    private static final long SUBMISSION_LOCK = 0x44524541_4d4f564eL; // "DREAMOVN"

    private final Database db;
    private final boolean postgres;
    private final Gson gson = new Gson();

    JobStore(Database db) {
        this.db = db;
        this.postgres = db.dialect() == Database.Dialect.POSTGRESQL;
    }

    /** A job a worker holds: {@code claim} fences its writes. */
    record Claimed(RenderJob job, long claim) {
    }

    /** What renewing a lease found. */
    enum Lease { HELD, CANCEL_REQUESTED, LOST }

    /** Counts and inserts in one transaction, so the limits hold under concurrent submissions. */
    long insertIfRoom(JobKind kind, String requester, JobOrigin origin, DreamRequest request, long now,
            int capacity, int perUser) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                if (postgres) {
                    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        lock.setLong(1, SUBMISSION_LOCK);
                        lock.execute();
                    }
                }
                int waiting = count(c, "SELECT COUNT(*) FROM jobs WHERE status = 'queued'", null);
                if (waiting >= capacity) {
                    c.rollback();
                    c.setAutoCommit(true);
                    throw new QueueFullException(capacity);
                }
                // the running job counts too: a user with one job in the oven and N waiting has N + 1
                int mine = count(c, "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running') AND requester = ?",
                        requester);
                if (mine >= perUser) {
                    c.rollback();
                    c.setAutoCommit(true);
                    throw new UserLimitException(perUser);
                }
                long id;
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO jobs (kind, priority, requester, guild_id, "
                        + "channel_id, reply_key, request_json, status, attempts, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?)", Statement.RETURN_GENERATED_KEYS)) {
                    ins.setString(1, kind.name());
                    ins.setInt(2, kind.priority());
                    ins.setString(3, requester);
                    setNullable(ins, 4, origin.guildId());
                    setNullable(ins, 5, origin.channelId());
                    setNullable(ins, 6, origin.replyKey());
                    ins.setString(7, gson.toJson(request));
                    ins.setLong(8, now);
                    ins.executeUpdate();
                    try (ResultSet keys = ins.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
                notify(c, JOBS_CHANNEL, id);
                c.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        }
    }

    /**
     * The next job in service order, marked running under a lease of {@code worker} until
     * {@code now + leaseMillis}; empty if none waits. Its attempts are not counted yet:
     * {@link #countAttempt} does that once it really starts rendering.
     */
    Optional<Claimed> claimNext(String worker, long now, long leaseMillis) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Optional<JobRecord> next;
                long claim;
                try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM jobs WHERE status = 'queued' ORDER BY priority, id LIMIT 1"
                        + (postgres ? " FOR UPDATE SKIP LOCKED" : ""));
                        ResultSet rs = q.executeQuery()) {
                    next = rs.next() ? Optional.of(read(rs)) : Optional.empty();
                    claim = next.isPresent() ? rs.getLong("claim") + 1 : 0;
                }
                if (next.isEmpty()) {
                    c.commit();
                    return Optional.empty();
                }
                RenderJob j = next.get().job();
                try (PreparedStatement u = c.prepareStatement("UPDATE jobs SET status = 'running', started_at = ?, "
                        + "worker = ?, lease_until = ?, claim = ?, cancel_requested = 0, progress_step = NULL, "
                        + "progress_total = NULL, preview_png = NULL WHERE id = ?")) {
                    u.setLong(1, now);
                    u.setString(2, worker);
                    u.setLong(3, now + leaseMillis);
                    u.setLong(4, claim);
                    u.setLong(5, j.id());
                    u.executeUpdate();
                }
                c.commit();
                return Optional.of(new Claimed(j, claim));
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        }
    }

    /**
     * Extends the lease of a claimed job to {@code now + leaseMillis} and records its progress.
     * {@link Lease#LOST} when the job is no longer this claim's (the lease expired and the job was
     * taken back); {@link Lease#CANCEL_REQUESTED} when someone asked the job to stop.
     */
    Lease renew(long id, long claim, long now, long leaseMillis, int step, int totalSteps) throws SQLException {
        try (Connection c = db.connection()) {
            try (PreparedStatement u = c.prepareStatement("UPDATE jobs SET lease_until = ?, progress_step = ?, "
                    + "progress_total = ? WHERE id = ? AND claim = ? AND status = 'running'")) {
                u.setLong(1, now + leaseMillis);
                u.setInt(2, step);
                u.setInt(3, totalSteps);
                u.setLong(4, id);
                u.setLong(5, claim);
                if (u.executeUpdate() == 0) {
                    return Lease.LOST;
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT cancel_requested FROM jobs WHERE id = ?")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() && rs.getInt(1) != 0 ? Lease.CANCEL_REQUESTED : Lease.HELD;
                }
            }
        }
    }

    /**
     * Records a claimed job's progress and preview (for bots on other hosts); nothing when the claim
     * is no longer the job's.
     */
    void recordProgress(long id, long claim, int step, int totalSteps, byte[] previewPng) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement("UPDATE jobs SET progress_step = ?, "
                + "progress_total = ?, preview_png = ? WHERE id = ? AND claim = ? AND status = 'running'")) {
            u.setInt(1, step);
            u.setInt(2, totalSteps);
            u.setBytes(3, previewPng);
            u.setLong(4, id);
            u.setLong(5, claim);
            u.executeUpdate();
        }
    }

    /** Running jobs whose lease ended before {@code now}: their worker is gone (or cut off). */
    List<Claimed> expired(long now) throws SQLException {
        List<Claimed> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS
                + " FROM jobs WHERE status = 'running' AND lease_until < ? ORDER BY id")) {
            q.setLong(1, now);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Claimed(read(rs).job(), rs.getLong("claim")));
                }
            }
        }
        return out;
    }

    /** Asks the worker rendering this job to stop it; false when it is not running. */
    boolean requestCancel(long id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement(
                "UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status = 'running'")) {
            u.setLong(1, id);
            return u.executeUpdate() == 1;
        }
    }

    /** The job really started rendering: a crash from now on costs it one attempt. */
    void countAttempt(long id, long claim) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement(
                "UPDATE jobs SET attempts = attempts + 1 WHERE id = ? AND claim = ? AND status = 'running'")) {
            u.setLong(1, id);
            u.setLong(2, claim);
            u.executeUpdate();
        }
    }

    /**
     * A failed statement may have ended the transaction already (SQLite rolls back by itself on
     * SQLITE_FULL, for one); the rollback then fails too, and must not hide the real cause.
     */
    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void restoreAutoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            // the pool discards a connection it cannot reset
        }
    }

    /**
     * Ends a claimed job. {@code notice} is what its requester is told when it failed. False (and
     * nothing written) when the claim is no longer the job's: a late result of a worker whose lease
     * ran out.
     */
    boolean finish(long id, long claim, JobStatus status, long now, String error, String notice, String resultPath,
            String outcomeJson) throws SQLException {
        try (Connection c = db.connection()) {
            try (PreparedStatement u = c.prepareStatement("UPDATE jobs SET status = ?, finished_at = ?, error = ?, "
                    + "notice = ?, result_path = ?, outcome_json = ?, worker = NULL, lease_until = NULL, preview_png = NULL "
                    + "WHERE id = ? AND claim = ? AND status = 'running'")) {
                u.setString(1, status.sql());
                u.setLong(2, now);
                setNullable(u, 3, error);
                setNullable(u, 4, notice);
                setNullable(u, 5, resultPath);
                setNullable(u, 6, outcomeJson);
                u.setLong(7, id);
                u.setLong(8, claim);
                if (u.executeUpdate() == 0) {
                    return false;
                }
            }
            notify(c, RESULTS_CHANNEL, id);
            return true;
        }
    }

    /** Fails a finished job whose picture was lost before it could be delivered. */
    void loseResult(long id, long now, String notice) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement("UPDATE jobs SET status = 'failed', "
                + "finished_at = ?, notice = ?, error = ? WHERE id = ? AND status = 'done'")) {
            u.setLong(1, now);
            u.setString(2, notice);
            u.setString(3, "picture lost");
            u.setLong(4, id);
            u.executeUpdate();
        }
    }

    /**
     * Cancels a job only if it is still queued; true if it was. Whoever cancels it tells the
     * requester, so it counts as told at once (no bot's feed tells it again).
     */
    boolean cancelIfQueued(long id, long now) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement("UPDATE jobs SET status = "
                + "'cancelled', finished_at = ?, delivered = " + DELIVERED + " WHERE id = ? AND status = 'queued'")) {
            u.setLong(1, now);
            u.setLong(2, id);
            return u.executeUpdate() == 1;
        }
    }

    /**
     * Puts a running job back with {@code attempts} attempts: those it had when it was claimed when
     * the stop was not its fault (a graceful shutdown, a full disk).
     */
    boolean requeue(long id, long claim, int attempts) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement("UPDATE jobs SET status = 'queued', "
                + "attempts = ?, started_at = NULL, worker = NULL, lease_until = NULL WHERE id = ? AND claim = ? "
                + "AND status = 'running'")) {
            u.setInt(1, attempts);
            u.setLong(2, id);
            u.setLong(3, claim);
            if (u.executeUpdate() == 0) {
                return false;
            }
            notify(c, JOBS_CHANNEL, id);
            return true;
        }
    }

    /** The attempts counted for a job so far. */
    int attempts(long id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT attempts FROM jobs WHERE id = ?")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** Puts a job interrupted by a crash back; its attempt stays counted. False when another worker took it first. */
    boolean requeueAfterCrash(long id, long claim) throws SQLException {
        return requeue(id, claim, attempts(id));
    }

    /** {@code jobs.delivered}: not yet, delivered, given up (migration V11). */
    static final int NOT_DELIVERED = 0;
    static final int DELIVERED = 1;
    static final int UNDELIVERABLE = 2;

    void markDelivered(long id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement(
                "UPDATE jobs SET delivered = " + DELIVERED + " WHERE id = ?")) {
            u.setLong(1, id);
            u.executeUpdate();
        }
    }

    /**
     * Counts one failed delivery; at {@code maxTries} the result is given up (never delivered again).
     *
     * @return the tries so far
     */
    int deliveryFailed(long id, String error, int maxTries) throws SQLException {
        try (Connection c = db.connection()) {
            try (PreparedStatement u = c.prepareStatement("UPDATE jobs SET delivery_tries = delivery_tries + 1, "
                    + "delivery_error = ?, delivered = CASE WHEN delivery_tries + 1 >= ? THEN " + UNDELIVERABLE
                    + " ELSE delivered END WHERE id = ? AND delivered = " + NOT_DELIVERED)) {
                u.setString(1, error);
                u.setInt(2, maxTries);
                u.setLong(3, id);
                u.executeUpdate();
            }
            try (PreparedStatement q = c.prepareStatement("SELECT delivery_tries FROM jobs WHERE id = ?")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : maxTries;
                }
            }
        }
    }

    /** Jobs left running by a process that died (read by the one owner of a SQLite database at its start). */
    List<Claimed> running() throws SQLException {
        List<Claimed> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS
                + " FROM jobs WHERE status = 'running' ORDER BY id"); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new Claimed(read(rs).job(), rs.getLong("claim")));
            }
        }
        return out;
    }

    /** Finished jobs whose picture never reached the requester, with their stored outcome. */
    List<Undelivered> undelivered() throws SQLException {
        List<Undelivered> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS
                + ", outcome_json FROM jobs WHERE status = 'done' AND delivered = " + NOT_DELIVERED + " ORDER BY id");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new Undelivered(read(rs), rs.getString("outcome_json")));
            }
        }
        return out;
    }

    record Undelivered(JobRecord record, String outcomeJson) {
    }

    /** A finished job whose requester has not been told yet, as a bot delivers it. */
    record Finished(JobRecord record, String outcomeJson, String notice) {
    }

    /**
     * Finished jobs (done, failed, cancelled) after {@code afterId} whose requester was not told yet
     * and that no live bot is delivering (no delivery lease, or an expired one), oldest first.
     */
    List<Finished> toDeliver(long now, long afterId, int limit) throws SQLException {
        List<Finished> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS
                + ", outcome_json, notice FROM jobs WHERE delivered = " + NOT_DELIVERED + " AND status IN ('done', "
                + "'failed', 'cancelled') AND (delivery_lease_until IS NULL OR delivery_lease_until < ?) AND id > ? "
                + "ORDER BY id LIMIT ?")) {
            q.setLong(1, now);
            q.setLong(2, afterId);
            q.setInt(3, limit);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new Finished(read(rs), rs.getString("outcome_json"), rs.getString("notice")));
                }
            }
        }
        return out;
    }

    /** Takes the delivery of a finished job for {@code deliverer} until {@code now + leaseMillis}; false if another bot has it. */
    boolean claimDelivery(long id, String deliverer, long now, long leaseMillis) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement("UPDATE jobs SET deliverer = ?, "
                + "delivery_lease_until = ? WHERE id = ? AND delivered = " + NOT_DELIVERED
                + " AND (delivery_lease_until IS NULL OR delivery_lease_until < ?)")) {
            u.setString(1, deliverer);
            u.setLong(2, now + leaseMillis);
            u.setLong(3, id);
            u.setLong(4, now);
            return u.executeUpdate() == 1;
        }
    }

    /** A running job, how far its worker says it is, and its latest preview (null: none yet). */
    record Running(RenderJob job, int step, int totalSteps, byte[] previewPng) {
    }

    /** Every running job with its progress (as its worker last renewed its lease). */
    List<Running> runningProgress() throws SQLException {
        List<Running> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS
                + ", progress_step, progress_total, preview_png FROM jobs WHERE status = 'running' ORDER BY id");
                ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                out.add(new Running(read(rs).job(), rs.getInt("progress_step"), rs.getInt("progress_total"),
                        rs.getBytes("preview_png")));
            }
        }
        return out;
    }

    /** Tells PostgreSQL's listeners of {@code channel} (at commit); nothing on SQLite, whose one process wakes itself. */
    private void notify(Connection c, String channel, long id) throws SQLException {
        if (!postgres) {
            return;
        }
        try (PreparedStatement n = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            n.setString(1, channel);
            n.setString(2, Long.toString(id));
            n.execute();
        }
    }

    Optional<JobRecord> find(long id) throws SQLException {
        List<JobRecord> r = select("id = ?", id);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    /** Unfinished jobs in service order: the running one first, then the queue. */
    List<JobRecord> unfinished(int limit) throws SQLException {
        return select("status IN ('running', 'queued') ORDER BY CASE status WHEN 'running' THEN 0 ELSE 1 END, "
                + "priority, id LIMIT " + Math.max(0, limit), null);
    }

    /** The running job (wherever it came from), then the waiting jobs of one guild in service order. */
    List<JobRecord> unfinishedOf(String guildId, int limit) throws SQLException {
        return select("status = 'running' OR (status = 'queued' AND guild_id = ?) ORDER BY "
                + "CASE status WHEN 'running' THEN 0 ELSE 1 END, priority, id LIMIT " + Math.max(0, limit), guildId);
    }

    /** The requester's newest unfinished job. */
    Optional<JobRecord> latestUnfinished(String requester) throws SQLException {
        List<JobRecord> r = select("status IN ('running', 'queued') AND requester = ? ORDER BY id DESC LIMIT 1", requester);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    /** 1 + the queued jobs served before this one; 0 if it is not queued. */
    int position(long id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT COUNT(*) FROM jobs o, jobs me WHERE me.id = ? AND me.status = 'queued' AND o.status = 'queued' "
                        + "AND (o.priority < me.priority OR (o.priority = me.priority AND o.id <= me.id))")) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    int countUnfinished() throws SQLException {
        try (Connection c = db.connection()) {
            return count(c, "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')", null);
        }
    }

    private List<JobRecord> select(String where, Object param) throws SQLException {
        List<JobRecord> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM jobs WHERE " + where)) {
            if (param != null) {
                q.setObject(1, param);
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    private JobRecord read(ResultSet rs) throws SQLException {
        DreamRequest request = gson.fromJson(rs.getString("request_json"), DreamRequest.class);
        RenderJob job = new RenderJob(rs.getLong("id"), JobKind.valueOf(rs.getString("kind")), rs.getString("requester"),
                new JobOrigin(rs.getString("guild_id"), rs.getString("channel_id"), rs.getString("reply_key")),
                request, rs.getInt("attempts"));
        return new JobRecord(job, JobStatus.fromSql(rs.getString("status")), Instant.ofEpochMilli(rs.getLong("created_at")),
                Optional.ofNullable(rs.getString("error")), Optional.ofNullable(rs.getString("result_path")));
    }

    private static int count(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(sql)) {
            if (param != null) {
                q.setString(1, param);
            }
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.VARCHAR);
        } else {
            s.setString(index, value);
        }
    }
}
