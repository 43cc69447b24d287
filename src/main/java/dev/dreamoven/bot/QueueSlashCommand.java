package dev.dreamoven.bot;

import dev.dreamoven.render.RenderQueue;

/**
 * {@code /queue}: privately, the running job and the next ten of the caller's guild; the running job of another
 * guild shows without prompt or requester. The bot's owners see every guild's jobs.
 */
final class QueueSlashCommand implements SlashCommand {

    private static final int SHOWN = 10;

    static final Definition DEFINITION = Definition.of("queue", "Show the render queue");

    private final Replies replies;
    private final RenderQueue queue;

    QueueSlashCommand(Replies replies, RenderQueue queue) {
        this.replies = replies;
        this.queue = queue;
    }

    @Override
    public Definition definition() {
        return DEFINITION;
    }

    @Override
    public void handle(Interaction i) {
        boolean all = i.isOwner() || i.guildId() == null;
        replies.answerLater(i, () -> Messages.queue(all ? queue.snapshot(SHOWN + 1)
                : queue.snapshotOf(i.guildId(), SHOWN + 1), SHOWN, i.userId(), all ? null : i.guildId()));
    }
}
