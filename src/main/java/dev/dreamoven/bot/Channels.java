package dev.dreamoven.bot;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Messages outside any interaction: results after a restart or a token expiry, reruns, reactions. Failures are
 * the transport's to log; {@link #post} reports them in its future.
 */
public interface Channels {

    /** Completes with the new message's id. */
    CompletableFuture<String> post(String channelId, Post post);

    void edit(String channelId, String messageId, Post post);

    void react(String channelId, String messageId, String emoji);

    void delete(String channelId, String messageId);

    /** The reply of an earlier process, found again by its handle; empty where the transport cannot. */
    default Optional<Reply> reply(ReplyHandle handle) {
        return Optional.empty();
    }
}
