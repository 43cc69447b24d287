package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.render.RenderJob;
import dev.dreamoven.render.RenderQueue;
import java.util.Optional;

/** {@code /cancel [job]}: cancels the caller's newest job, or the given one (bakers: anyone's). */
final class CancelSlashCommand implements SlashCommand {

    static final Definition DEFINITION = Definition.of("cancel", "Cancel your newest job, or the given one",
            Option.integer("job", "Job number", 1, Long.MAX_VALUE >> 11));

    private final Replies replies;
    private final RenderQueue queue;

    CancelSlashCommand(Replies replies, RenderQueue queue) {
        this.replies = replies;
        this.queue = queue;
    }

    @Override
    public Definition definition() {
        return DEFINITION;
    }

    @Override
    public void handle(Interaction i) {
        Optional<Long> job = i.option("job").map(CancelSlashCommand::jobNumber);
        replies.answerLater(i, () -> cancel(i, job));
    }

    private String cancel(Interaction i, Optional<Long> jobId) {
        Optional<Long> id = jobId.isPresent() ? jobId : queue.latestUnfinished(i.userId()).map(RenderJob::id);
        if (id.isEmpty()) {
            return Messages.NOTHING_TO_CANCEL;
        }
        return Messages.cancel(queue.cancel(id.get(), i.userId(), i.mayBake()), id.get());
    }

    /** "12" or "#12". */
    static long jobNumber(String s) {
        String t = s.strip();
        if (t.startsWith("#")) {
            t = t.substring(1);
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(Messages.JOB_NUMBER);
        }
    }
}
