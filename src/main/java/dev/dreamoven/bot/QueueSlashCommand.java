package dev.dreamoven.bot;

import dev.dreamoven.render.RenderQueue;

/** {@code /queue}: the running job and the next ten, privately. */
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
        replies.answerLater(i, () -> Messages.queue(queue.snapshot(SHOWN + 1), SHOWN, i.userId()));
    }
}
