package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.JobOrigin;
import dev.dreamoven.render.RenderJob;
import dev.dreamoven.render.RenderQueue;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a command answers without holding up the transport's thread: a job is acknowledged at once
 * and queued from the worker ({@link #acceptJob}), a private answer that needs the database is
 * computed on the worker ({@link #answerLater}). Keeps the live reply of each queued job, where its
 * progress goes while the interaction lasts, and its handle in {@link ReplyTokens}, so that a restarted
 * process finds the reply again.
 */
final class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    /** Looked up and found nothing: no reply for this key in this process. */
    private static final Reply NONE = new Reply() {
        @Override
        public boolean edit(Post post) {
            return false;
        }

        @Override
        public CompletableFuture<String> followUp(Post post) {
            return CompletableFuture.failedFuture(new IllegalStateException("no reply"));
        }

        @Override
        public boolean expired() {
            return true;
        }
    };

    private final RenderQueue queue;
    private final Executor work;
    private final Channels channels;
    private final ReplyTokens tokens;
    /** Replies by interaction id: live ones, found-again ones, or {@link #NONE}. */
    private final Map<String, Reply> live = new ConcurrentHashMap<>();

    Replies(RenderQueue queue, Executor work, Channels channels, ReplyTokens tokens) {
        this.queue = queue;
        this.work = work;
        this.channels = channels;
        this.tokens = tokens;
    }

    /**
     * Acknowledges publicly now; on the worker, {@code request} is made (it may look things up and refuse) and
     * the job queued, or the user is told privately why not.
     */
    void acceptJob(Interaction i, JobKind kind, Callable<DreamRequest> request) {
        i.defer(false);
        live.put(i.id(), i);
        work.execute(() -> {
            try {
                DreamRequest r = request.call();
                i.handle().ifPresent(tokens::save);
                queue.submit(kind, i.userId(), new JobOrigin(i.guildId(), i.channelId(), i.id()), r);
            } catch (InvalidInputException e) {
                forget(i.id());
                i.replyPrivately(e.getMessage());
            } catch (Exception e) {
                forget(i.id());
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

    /**
     * The job's reply while it can be edited: the live one, or after a restart the one its stored handle finds;
     * null once expired or where there never was one.
     */
    Reply liveReply(RenderJob job) {
        String key = job.origin().replyKey();
        if (key == null) {
            return null;
        }
        Reply r = live.computeIfAbsent(key, k -> {
            try {
                return tokens.find(k).flatMap(channels::reply).orElse(NONE);
            } catch (RuntimeException e) {
                LOG.warn("cannot find the reply of job {} again: {}", job.id(), e.toString());
                return NONE;
            }
        });
        if (r != NONE && r.expired()) {
            live.put(key, NONE);
            return null;
        }
        return r == NONE ? null : r;
    }

    void forget(RenderJob job) {
        if (job.origin().replyKey() != null) {
            forget(job.origin().replyKey());
        }
    }

    private void forget(String key) {
        live.remove(key);
        try {
            tokens.forget(key);
        } catch (RuntimeException e) {
            LOG.warn("cannot forget a reply token: {}", e.toString());
        }
    }
}
