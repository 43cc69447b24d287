package dev.dreamoven.discord;

import dev.dreamoven.bot.Post;
import dev.dreamoven.bot.Reply;
import dev.dreamoven.bot.ReplyHandle;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.interactions.InteractionHook;
import net.dv8tion.jda.api.sharding.ShardManager;

/**
 * The original reply of an interaction from an earlier process, through its webhook token
 * ({@link InteractionHook#from}), until the token expires.
 */
final class JdaReply implements Reply {

    private final CompletableFuture<InteractionHook> hook;
    private final ReplyHandle handle;

    JdaReply(CompletableFuture<ShardManager> connection, ReplyHandle handle, Executor work) {
        this.handle = handle;
        this.hook = connection.thenApplyAsync(shards -> {
            JDA any = shards.getShardCache().stream().findFirst()
                    .orElseThrow(() -> new IllegalStateException("no shard is connected"));
            return InteractionHook.from(any, handle.token());
        }, work);
    }

    @Override
    public boolean edit(Post post) {
        if (expired()) {
            return false;
        }
        String what = "editing the reply to interaction " + handle.key();
        hook.thenAccept(h -> h.editOriginal(JdaInteraction.editData(post))
                .queue(RestFailures.ignored(), RestFailures.logged(what)))
                .exceptionally(e -> {
                    RestFailures.logged(what).accept(e);
                    return null;
                });
        return true;
    }

    @Override
    public CompletableFuture<String> followUp(Post post) {
        if (expired()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the interaction token has expired"));
        }
        return hook.thenCompose(h -> h.sendMessage(JdaInteraction.createData(post)).submit()).thenApply(Message::getId);
    }

    @Override
    public boolean expired() {
        return !Instant.now().isBefore(handle.expiresAt());
    }
}
