package dev.dreamoven.lab.fakediscord;

import com.google.gson.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * An interaction the fake dispatched, and what the bot did with it: the callback (acknowledgement) and the
 * original response message. The webhook token expires 15 minutes after the time encoded in the id.
 */
public final class FakeInteraction {

    /** Discord's lifetime of an interaction token. */
    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);

    private final long id;
    private final String token;
    private final long guildId;
    private final long channelId;
    private final long userId;
    private final String commandName;
    private final Instant dispatchedAt;
    private final JsonObject payload;
    private int callbackType;
    private Instant ackedAt;
    private long originalMessageId;

    FakeInteraction(long id, String token, long guildId, long channelId, long userId, String commandName,
            Instant dispatchedAt, JsonObject payload) {
        this.id = id;
        this.token = token;
        this.guildId = guildId;
        this.channelId = channelId;
        this.userId = userId;
        this.commandName = commandName;
        this.dispatchedAt = dispatchedAt;
        this.payload = payload;
    }

    public long id() {
        return id;
    }

    public String token() {
        return token;
    }

    public long guildId() {
        return guildId;
    }

    public long channelId() {
        return channelId;
    }

    public long userId() {
        return userId;
    }

    public String commandName() {
        return commandName;
    }

    /** When the fake sent INTERACTION_CREATE (the 3-second acknowledgement deadline runs from here). */
    public Instant dispatchedAt() {
        return dispatchedAt;
    }

    /** A copy of the INTERACTION_CREATE payload. */
    public JsonObject payload() {
        return payload.deepCopy();
    }

    /** The callback type the bot answered with (4 reply, 5 deferred reply, …), 0 when not acknowledged yet. */
    public synchronized int callbackType() {
        return callbackType;
    }

    /** When the acknowledgement arrived, or null. */
    public synchronized Instant ackedAt() {
        return ackedAt;
    }

    /** The original response's message id, 0 when there is none. */
    public synchronized long originalMessageId() {
        return originalMessageId;
    }

    /** Whether the webhook token has expired (15 minutes after the id's timestamp). */
    public boolean tokenExpired() {
        return Instant.now().isAfter(Snowflakes.timeOf(id).plus(TOKEN_LIFETIME));
    }

    synchronized boolean acknowledge(int type, long originalId) {
        if (callbackType != 0) {
            return false;
        }
        callbackType = type;
        ackedAt = Instant.now();
        originalMessageId = originalId;
        return true;
    }

    @Override
    public synchronized String toString() {
        return "interaction " + id + " /" + commandName + " by " + userId + " callback " + callbackType
                + " original " + originalMessageId;
    }
}
