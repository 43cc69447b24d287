package dev.dreamoven.bot;

import java.time.Instant;

/**
 * What finds a {@link Reply} again in a later process: the transport's token for it and when it stops working.
 * Discord: the interaction's id, its webhook token, 15 minutes after the interaction.
 *
 * @param key the interaction's id, the job's {@code reply_key}
 */
public record ReplyHandle(String key, String token, Instant expiresAt) {

    @Override
    public String toString() {
        return "ReplyHandle[" + key + ", token hidden, expires " + expiresAt + "]";
    }
}
