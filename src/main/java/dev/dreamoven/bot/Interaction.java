package dev.dreamoven.bot;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One chat command as the bot sees it, whatever the transport (the JDA adapter, the console,
 * tests). {@link DreamBot} calls {@link #defer} or {@link #replyPrivately} on the transport's thread
 * within milliseconds, and everything else from a worker.
 */
public interface Interaction {

    /** Unique per interaction; the key under which the live reply is found again. */
    String id();

    /** "dream", "bake add", "bake list", "bake remove", "bake import", "queue" or "cancel". */
    String command();

    String userId();

    /** Null outside a server. */
    String guildId();

    String channelId();

    /** Has Manage Server or the configured admin role. */
    boolean mayBake();

    /** An option as the user typed it; empty when not given. */
    Optional<String> option(String name);

    Optional<Attachment> attachment(String name);

    /** Acknowledges the command ("thinking…"); the answer follows with {@link #reply}. */
    void defer(boolean ephemeral);

    /** The answer: edits the deferred reply, or replies. */
    void reply(String text);

    /** An error only the user sees; after a public {@link #defer} it replaces the public placeholder. */
    void replyPrivately(String text);

    /** Edits the reply (progress, previews); false once the reply can no longer be edited (token expired). */
    boolean edit(Post post);

    /** Posts a new message under the reply; completes with its message id, or fails once expired. */
    CompletableFuture<String> followUp(Post post);

    /** True once the reply can no longer be edited (Discord: 15 minutes after the command). */
    boolean expired();
}
