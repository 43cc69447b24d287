package dev.dreamoven.bot;

import dev.dreamoven.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code reply_tokens} table (migration V31): the reply handles of jobs in the queue, kept until they expire,
 * so a restart within an interaction's lifetime can still edit its original reply.
 */
public final class ReplyTokens {

    private final Database db;
    private final Clock clock;

    public ReplyTokens(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void save(ReplyHandle h) {
        update("INSERT INTO reply_tokens (reply_key, token, expires_at) VALUES (?, ?, ?) "
                + "ON CONFLICT (reply_key) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at", h.key(),
                h.token(), h.expiresAt().toEpochMilli());
    }

    /** The handle stored under {@code key}, unless it has expired. */
    public Optional<ReplyHandle> find(String key) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT token, expires_at FROM reply_tokens WHERE reply_key = ? AND expires_at > ?")) {
            s.setString(1, key);
            s.setLong(2, clock.millis());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new ReplyHandle(key, rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new Database.StoreException("cannot look up a reply: " + e.getMessage(), e);
        }
    }

    public void forget(String key) {
        update("DELETE FROM reply_tokens WHERE reply_key = ?", key);
    }

    /** Drops every expired handle. */
    public void purgeExpired() {
        update("DELETE FROM reply_tokens WHERE expires_at <= ?", clock.millis());
    }

    private void update(String sql, Object... params) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new Database.StoreException("cannot store a reply token: " + e.getMessage(), e);
        }
    }
}
