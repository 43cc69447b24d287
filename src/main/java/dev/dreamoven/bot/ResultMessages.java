package dev.dreamoven.bot;

import dev.dreamoven.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/** The {@code discord_messages} table (migration V30): posted result → job, so reactions work after a restart. */
public final class ResultMessages {

    /** A posted result picture. */
    public record ResultMessage(String messageId, String channelId, long jobId, String requesterId) {
    }

    private final Database db;
    private final Clock clock;

    public ResultMessages(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void record(ResultMessage m) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                // the same SQL on SQLite and PostgreSQL (INSERT OR REPLACE is SQLite's alone)
                "INSERT INTO discord_messages (message_id, channel_id, job_id, requester, created_at) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (message_id) DO UPDATE SET channel_id = excluded.channel_id, "
                        + "job_id = excluded.job_id, requester = excluded.requester, created_at = excluded.created_at")) {
            s.setString(1, m.messageId());
            s.setString(2, m.channelId());
            s.setLong(3, m.jobId());
            s.setString(4, m.requesterId());
            s.setLong(5, clock.millis());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new Database.StoreException("cannot record message " + m.messageId() + ": " + e.getMessage(), e);
        }
    }

    public Optional<ResultMessage> find(String messageId) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT message_id, channel_id, job_id, requester FROM discord_messages WHERE message_id = ?")) {
            s.setString(1, messageId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new ResultMessage(rs.getString(1), rs.getString(2), rs.getLong(3),
                        rs.getString(4))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new Database.StoreException("cannot look up message " + messageId + ": " + e.getMessage(), e);
        }
    }

    public void forget(String messageId) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM discord_messages WHERE message_id = ?")) {
            s.setString(1, messageId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new Database.StoreException("cannot forget message " + messageId + ": " + e.getMessage(), e);
        }
    }
}
