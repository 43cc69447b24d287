package dev.dreamoven.bot;

import java.util.concurrent.CompletableFuture;

/**
 * The reply to a command that a job keeps up to date: its status, progress and previews are edits of it, the
 * result is posted under it. On Discord it lasts 15 minutes (the interaction token), also across a restart.
 */
public interface Reply {

    /** Edits the reply (status, progress, previews); false once it can no longer be edited (token expired). */
    boolean edit(Post post);

    /** Posts a new message under the reply; completes with its message id, or fails once expired. */
    CompletableFuture<String> followUp(Post post);

    /** True once the reply can no longer be edited (Discord: 15 minutes after the command). */
    boolean expired();
}
