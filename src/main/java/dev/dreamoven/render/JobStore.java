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

/** The {@code jobs} table (migration V10): the durable queue's rows. Plain JDBC, one short transaction per call. */
final class JobStore {

    private static final String COLUMNS = "id, kind, requester, guild_id, channel_id, reply_key, request_json, "
            + "status, attempts, created_at, error, result_path";

    private final Database db;
    private final Gson gson = new Gson();

    JobStore(Database db) {
        this.db = db;
    }

    /** Counts and inserts in one transaction, so the limits hold under concurrent submissions. */
    long insertIfRoom(JobKind kind, String requester, JobOrigin origin, DreamRequest request, long now,
            int capacity, int perUser) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
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
     * The next job in service order, marked running; empty if none waits. Its attempts are not
     * counted yet: {@link #countAttempt} does that once it really starts rendering.
     */
    Optional<RenderJob> claimNext(long now) throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                Optional<JobRecord> next;
                try (PreparedStatement q = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM jobs WHERE status = 'queued' ORDER BY priority, id LIMIT 1");
                        ResultSet rs = q.executeQuery()) {
                    next = rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
                if (next.isEmpty()) {
                    c.commit();
                    return Optional.empty();
                }
                RenderJob j = next.get().job();
                try (PreparedStatement u = c.prepareStatement(
                        "UPDATE jobs SET status = 'running', started_at = ? WHERE id = ?")) {
                    u.setLong(1, now);
                    u.setLong(2, j.id());
                    u.executeUpdate();
                }
                c.commit();
                return Optional.of(j);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            } finally {
                restoreAutoCommit(c);
            }
        }
    }

    /** The job really started rendering: a crash from now on costs it one attempt. */
    void countAttempt(long id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement(
                "UPDATE jobs SET attempts = attempts + 1 WHERE id = ? AND status = 'running'")) {
            u.setLong(1, id);
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

    void finish(long id, JobStatus status, long now, String error, String resultPath, String outcomeJson) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement("UPDATE jobs SET status = ?, "
                + "finished_at = ?, error = ?, result_path = ?, outcome_json = ? WHERE id = ?")) {
            u.setString(1, status.sql());
            u.setLong(2, now);
            setNullable(u, 3, error);
            setNullable(u, 4, resultPath);
            setNullable(u, 5, outcomeJson);
            u.setLong(6, id);
            u.executeUpdate();
        }
    }

    /** Cancels a job only if it is still queued; true if it was. */
    boolean cancelIfQueued(long id, long now) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement(
                "UPDATE jobs SET status = 'cancelled', finished_at = ? WHERE id = ? AND status = 'queued'")) {
            u.setLong(1, now);
            u.setLong(2, id);
            return u.executeUpdate() == 1;
        }
    }

    /**
     * Puts a running job back with {@code attempts} attempts: those it had when it was claimed when
     * the stop was not its fault (a graceful shutdown, a full disk).
     */
    void requeue(long id, int attempts) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement(
                "UPDATE jobs SET status = 'queued', attempts = ?, started_at = NULL WHERE id = ? AND status = 'running'")) {
            u.setInt(1, attempts);
            u.setLong(2, id);
            u.executeUpdate();
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

    /** Puts a job interrupted by a crash back; its attempt stays counted. */
    void requeueAfterCrash(long id) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement u = c.prepareStatement(
                "UPDATE jobs SET status = 'queued', started_at = NULL WHERE id = ?")) {
            u.setLong(1, id);
            u.executeUpdate();
        }
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

    /** Jobs left running by a process that died. */
    List<RenderJob> running() throws SQLException {
        List<RenderJob> out = new ArrayList<>();
        for (JobRecord r : select("status = 'running' ORDER BY id", null)) {
            out.add(r.job());
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
