package dev.dreamoven.discord;

import dev.dreamoven.bot.Channels;
import dev.dreamoven.bot.Post;

import java.util.concurrent.CompletableFuture;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.middleman.MessageChannel;
import net.dv8tion.jda.api.entities.emoji.Emoji;

/** Channel messages through JDA: results after a restart or a token expiry, reruns, reactions. */
final class JdaChannels implements Channels {

    private final JDA jda;

    JdaChannels(JDA jda) {
        this.jda = jda;
    }

    private MessageChannel channel(String id) {
        MessageChannel c = jda.getChannelById(MessageChannel.class, id);
        if (c == null) {
            throw new IllegalStateException("channel " + id + " is not visible to the bot");
        }
        return c;
    }

    @Override
    public CompletableFuture<String> post(String channelId, Post post) {
        try {
            return channel(channelId).sendMessage(JdaInteraction.createData(post)).submit().thenApply(Message::getId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void edit(String channelId, String messageId, Post post) {
        channel(channelId).editMessageById(messageId, JdaInteraction.editData(post)).queue(ok -> { }, err -> { });
    }

    @Override
    public void react(String channelId, String messageId, String emoji) {
        channel(channelId).addReactionById(messageId, Emoji.fromUnicode(emoji)).queue(ok -> { }, err -> { });
    }

    @Override
    public void delete(String channelId, String messageId) {
        channel(channelId).deleteMessageById(messageId).queue(ok -> { }, err -> { });
    }
}
