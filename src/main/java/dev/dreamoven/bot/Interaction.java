package dev.dreamoven.bot;

import java.util.List;
import java.util.Optional;

/**
 * One chat command as the bot sees it, whatever the transport (the JDA adapter, the console,
 * tests). {@link DreamBot} calls {@link #defer} or {@link #replyPrivately} on the transport's thread
 * within milliseconds, and everything else from a worker. It is also the command's {@link Reply}.
 */
public interface Interaction extends Reply {

    /** Unique per interaction; the key under which the live reply is found again. */
    String id();

    /** "dream", "bake add", "bake list", "bake remove", "bake import", "queue" or "cancel". */
    String command();

    String userId();

    /** Null outside a server. */
    String guildId();

    String channelId();

    /** May manage the baked prompts: a member of the guild where the bot is administered with an admin role. */
    boolean mayBake();

    /** May cancel other members' jobs of this guild (Discord: Manage Server here). */
    boolean mayModerate();

    /** One of the bot's owners: sees and cancels every guild's jobs. */
    boolean isOwner();

    /**
     * The permissions the bot lacks in this channel to post a result there later (after the reply expires or a
     * restart) and to add its reactions, by their names; empty when it has them all.
     */
    List<String> missingChannelPermissions();

    /** How the transport finds this reply again after a restart, while it lasts; empty where it cannot. */
    default Optional<ReplyHandle> handle() {
        return Optional.empty();
    }

    /** An option as the user typed it; empty when not given. */
    Optional<String> option(String name);

    Optional<Attachment> attachment(String name);

    /** Acknowledges the command ("thinking…"); the answer follows with {@link #reply}. */
    void defer(boolean ephemeral);

    /** The answer: edits the deferred reply, or replies. */
    void reply(String text);

    /** An error only the user sees; after a public {@link #defer} it replaces the public placeholder. */
    void replyPrivately(String text);
}
