package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.render.JobRecord;
import dev.dreamoven.render.RenderJob;
import dev.dreamoven.render.RenderQueue;
import java.util.Optional;

/**
 * {@code /cancel [job]}: cancels the caller's newest job, or the given one: their own anywhere, any job of this
 * guild for those who may moderate it, any job at all for the bot's owners. Other guilds' jobs are not found.
 */
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
        Optional<JobRecord> found = queue.find(id.get());
        if (found.isEmpty()) {
            return Messages.cancel(RenderQueue.CancelResult.NOT_FOUND, id.get());
        }
        RenderJob job = found.get().job();
        boolean mine = job.requesterId().equals(i.userId());
        boolean here = i.guildId() == null || i.guildId().equals(job.origin().guildId());
        if (!mine && !here && !i.isOwner()) {
            return Messages.cancel(RenderQueue.CancelResult.NOT_FOUND, id.get());
        }
        boolean mayCancel = mine || i.isOwner() || (here && i.mayModerate());
        return Messages.cancel(queue.cancel(id.get(), i.userId(), mayCancel), id.get());
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
