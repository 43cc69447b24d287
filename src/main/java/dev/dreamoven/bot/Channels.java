package dev.dreamoven.bot;

import java.util.concurrent.CompletableFuture;

/** Messages outside any interaction: results after a restart or a token expiry, reruns, reactions. */
public interface Channels {

    /** Completes with the new message's id. */
    CompletableFuture<String> post(String channelId, Post post);

    void edit(String channelId, String messageId, Post post);

    void react(String channelId, String messageId, String emoji);

    void delete(String channelId, String messageId);
}
