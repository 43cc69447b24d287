package dev.dreamoven.discord;

import dev.dreamoven.bot.Channels;
import dev.dreamoven.bot.Post;
import dev.dreamoven.bot.Reply;
import dev.dreamoven.bot.ReplyHandle;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.entities.emoji.Emoji;
import net.dv8tion.jda.api.requests.restaction.MessageCreateAction;
import net.dv8tion.jda.api.sharding.ShardManager;

/**
 * Channel messages through JDA, on whichever shard has the channel: results after a restart or a token expiry,
 * reruns, reactions. Everything waits for the connection (the render queue runs before the login completes) and
 * continues on {@code work}; failures are logged, never swallowed.
 */
final class JdaChannels implements Channels {

    private final CompletableFuture<ShardManager> connection;
    private final Executor work;

    JdaChannels(CompletableFuture<ShardManager> connection, Executor work) {
        this.connection = connection;
        this.work = work;
    }

    private CompletableFuture<MessageChannel> channel(String id) {
        return connection.thenApplyAsync(shards -> {
            MessageChannel c = shards.getChannelById(MessageChannel.class, id);
            if (c == null) {
                throw new IllegalStateException("channel " + id + " is not visible to the bot");
            }
            return c;
        }, work);
    }

    @Override
    public CompletableFuture<String> post(String channelId, Post post) {
        return channel(channelId).thenCompose(c -> {
            MessageCreateAction send = c.sendMessage(JdaInteraction.createData(post));
            // JDA always sends enforce_nonce with a random nonce; ours makes a repeated post return the first
            post.nonce().ifPresent(send::setNonce);
            return send.submit();
        }).thenApply(Message::getId);
    }

    @Override
    public void edit(String channelId, String messageId, Post post) {
        String what = "editing message " + messageId + " in channel " + channelId;
        run(channelId, what, c -> c.editMessageById(messageId, JdaInteraction.editData(post))
                .queue(RestFailures.ignored(), RestFailures.logged(what)));
    }

    @Override
    public void react(String channelId, String messageId, String emoji) {
        String what = "reacting " + emoji + " to message " + messageId + " in channel " + channelId;
        run(channelId, what, c -> c.addReactionById(messageId, Emoji.fromUnicode(emoji))
                .queue(RestFailures.ignored(), RestFailures.logged(what)));
    }

    @Override
    public void delete(String channelId, String messageId) {
        String what = "deleting message " + messageId + " in channel " + channelId;
        run(channelId, what, c -> c.deleteMessageById(messageId)
                .queue(RestFailures.ignored(), RestFailures.logged(what)));
    }

    /** A reply of an earlier process: the interaction's webhook, by its token, while it lasts. */
    @Override
    public Optional<Reply> reply(ReplyHandle handle) {
        return Optional.of(new JdaReply(connection, handle, work));
    }

    /** JDA checks permissions before sending and throws: that too is a logged failure. */
    private void run(String channelId, String what, Consumer<MessageChannel> action) {
        channel(channelId).thenAccept(action).exceptionally(e -> {
            RestFailures.logged(what).accept(e.getCause() != null ? e.getCause() : e);
            return null;
        });
    }
}
