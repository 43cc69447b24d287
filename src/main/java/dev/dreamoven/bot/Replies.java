package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.JobOrigin;
import dev.dreamoven.render.RenderJob;
import dev.dreamoven.render.RenderQueue;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a command answers without holding up the transport's thread: a job is acknowledged at once
 * and queued from the worker ({@link #acceptJob}), a private answer that needs the database is
 * computed on the worker ({@link #answerLater}). Keeps the live reply of each queued job, where its
 * progress goes while the interaction lasts.
 */
final class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private final RenderQueue queue;
    private final Executor work;
    /** Live replies by interaction id. */
    private final Map<String, Interaction> live = new ConcurrentHashMap<>();

    Replies(RenderQueue queue, Executor work) {
        this.queue = queue;
        this.work = work;
    }

    /** Acknowledges publicly now; queues the job from the worker, or tells the user privately why not. */
    void acceptJob(Interaction i, JobKind kind, DreamRequest request) {
        i.defer(false);
        live.put(i.id(), i);
        work.execute(() -> {
            try {
                queue.submit(kind, i.userId(), new JobOrigin(i.guildId(), i.channelId(), i.id()), request);
            } catch (InvalidInputException e) {
                live.remove(i.id());
                i.replyPrivately(e.getMessage());
            } catch (RuntimeException e) {
                live.remove(i.id());
                LOG.error("cannot queue a job", e);
                i.replyPrivately(Messages.COULD_NOT_QUEUE);
            }
        });
    }

    /** Private answers that need the database or the store: acknowledge now, answer from the worker. */
    void answerLater(Interaction i, Callable<String> answer) {
        i.defer(true);
        work.execute(() -> {
            try {
                i.reply(answer.call());
            } catch (InvalidInputException e) {
                i.replyPrivately(e.getMessage());
            } catch (Exception e) {
                LOG.error("command /{} failed", i.command(), e);
                i.replyPrivately(Messages.FAILED);
            }
        });
    }

    /** The job's live reply, or null once it expired or where there never was one. */
    Interaction liveReply(RenderJob job) {
        String key = job.origin().replyKey();
        Interaction i = key == null ? null : live.get(key);
        if (i != null && i.expired()) {
            live.remove(key);
            return null;
        }
        return i;
    }

    void forget(RenderJob job) {
        if (job.origin().replyKey() != null) {
            live.remove(job.origin().replyKey());
        }
    }
}
