package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.render.BakedPrompts;
import dev.dreamoven.render.JobEvents;
import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.JobOrigin;
import dev.dreamoven.render.JobRecord;
import dev.dreamoven.render.RenderJob;
import dev.dreamoven.render.RenderOutcome;
import dev.dreamoven.render.RenderQueue;
import dev.dreamoven.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat bot, the same for Discord, the console and the tests: its slash commands
 * ({@link #definitions()}, dispatched by {@link #onCommand}), autocomplete and reactions in;
 * replies, previews and result posts out, as the render queue's {@link JobEvents}. The transport's
 * thread only validates and acknowledges; database and engine work, and every continuation of a
 * transport's future, runs on {@code work}.
 */
public final class DreamBot implements JobEvents {

    public static final String RERUN = "🔁";
    public static final String DELETE = "❌";
    private static final Logger LOG = LoggerFactory.getLogger(DreamBot.class);

    /**
     * How the bot paces its messages.
     *
     * @param previewEvery minimum time between two preview edits of one job
     * @param deliveryTries tries of one result before it is given up (restarts included)
     * @param deliveryRetry wait before the second try; doubled for each further one
     */
    public record Settings(Duration previewEvery, int deliveryTries, Duration deliveryRetry) {
        public Settings {
            if (deliveryTries < 1) {
                throw new IllegalArgumentException("deliveryTries must be at least 1");
            }
        }
    }

    private final RenderQueue queue;
    private final BakedPrompts baked;
    private final Channels channels;
    private final ResultMessages results;
    private final Executor work;
    private final LongSupplier seeds;
    private final Clock clock;
    private final Settings settings;
    private final Replies replies;
    private final Map<String, SlashCommand> commands = new LinkedHashMap<>();

    /** Channel status messages of jobs without a live reply (reruns, restarts, expired tokens). */
    private final Map<Long, CompletableFuture<String>> statusMessages = new ConcurrentHashMap<>();
    private final Map<Long, Long> lastPreviewAt = new ConcurrentHashMap<>();
    /** Each running job's plan, repeated in its progress messages (each edit replaces the whole text). */
    private final Map<Long, String> plans = new ConcurrentHashMap<>();

    /**
     * @param db the bot's own tables: posted results ({@link ResultMessages}) and reply tokens ({@link ReplyTokens})
     * @param work where database work and the continuations of {@code channels}' futures run
     */
    public DreamBot(RenderQueue queue, BakedPrompts baked, Channels channels, Database db, Executor work,
            LongSupplier seeds, Clock clock, Settings settings) {
        this.queue = queue;
        this.baked = baked;
        this.channels = channels;
        this.results = new ResultMessages(db, clock);
        this.work = work;
        this.seeds = seeds;
        this.clock = clock;
        this.settings = settings;
        ReplyTokens tokens = new ReplyTokens(db, clock);
        tokens.purgeExpired();
        this.replies = new Replies(queue, work, channels, tokens);
        for (SlashCommand c : List.of(new DreamSlashCommand(replies, baked, seeds),
                new BakeSlashCommand(replies, baked, seeds), new QueueSlashCommand(replies, queue),
                new CancelSlashCommand(replies, queue))) {
            commands.put(c.definition().name(), c);
        }
    }

    /** The commands a transport registers. */
    public List<SlashCommand.Definition> definitions() {
        return commands.values().stream().map(SlashCommand::definition).toList();
    }

    /** Handles one command. Returns within milliseconds: it never touches the database or the engine itself. */
    public void onCommand(Interaction i) {
        SlashCommand command = commands.get(i.command().split(" ", 2)[0]);
        try {
            if (command == null) {
                i.replyPrivately(Messages.unknownCommand(i.command()));
            } else {
                command.handle(i);
            }
        } catch (InvalidInputException e) {
            i.replyPrivately(e.getMessage());
        }
    }

    /**
     * Autocomplete of {@code option} of {@code command}: palettes, and baked prompts for {@code /dream}'s and
     * {@code /bake}'s prompt (a prompt longer than a choice may be is offered by its id). May touch the store, so
     * call it off the gateway thread.
     */
    public List<SlashCommand.Choice> autocomplete(String command, String option, String typed) {
        String t = typed == null ? "" : typed.strip();
        if (option.equals("palette")) {
            return DreamSlashCommand.paletteChoices(t);
        }
        if (option.equals("prompt") && (command.equals("dream") || command.startsWith("bake"))) {
            return BakedChoices.of(baked.search(t, SlashCommand.Choice.MAX_CHOICES));
        }
        return List.of();
    }

    // ------------------------------------------------------------------ reactions

    /** A reaction on some message: 🔁 on a result reruns it with a new seed, ❌ from its requester deletes it. */
    public void onReaction(String userId, String channelId, String messageId, String emoji) {
        if (!RERUN.equals(emoji) && !DELETE.equals(emoji)) {
            return;
        }
        work.execute(() -> {
            try {
                Optional<ResultMessages.ResultMessage> result = results.find(messageId);
                if (result.isEmpty()) {
                    return;
                }
                ResultMessages.ResultMessage m = result.get();
                if (DELETE.equals(emoji)) {
                    if (m.requesterId().equals(userId)) {
                        channels.delete(channelId, messageId);
                        results.forget(messageId);
                    }
                    return;
                }
                Optional<JobRecord> original = queue.find(m.jobId());
                if (original.isEmpty() || original.get().job().kind() != JobKind.DREAM) {
                    return;
                }
                DreamRequest again = original.get().job().request().withSeed(seeds.getAsLong());
                try {
                    queue.submit(JobKind.DREAM, userId, new JobOrigin(original.get().job().origin().guildId(), channelId,
                            "rerun:" + messageId + ":" + userId + ":" + clock.millis()), again);
                } catch (InvalidInputException e) {
                    channels.post(channelId, Post.text(Messages.toUser(userId, e.getMessage())));
                }
            } catch (RuntimeException e) {
                LOG.error("reaction {} on {} failed", emoji, messageId, e);
            }
        });
    }

    // ------------------------------------------------------------------ job events

    @Override
    public void accepted(RenderJob job, int position) {
        status(job, Post.text(Messages.accepted(job, position)));
    }

    @Override
    public void moved(RenderJob job, int position) {
        status(job, Post.text(Messages.accepted(job, position)));
    }

    @Override
    public void recovered(RenderJob job, int position) {
        status(job, Post.text(Messages.recovered(job, position)));
    }

    @Override
    public void started(RenderJob job) {
        status(job, Post.text(Messages.started(job)));
    }

    @Override
    public void planned(RenderJob job, String plan) {
        plans.put(job.id(), plan);
        status(job, Post.text(Messages.planned(job, plan)));
    }

    @Override
    public void progress(RenderJob job, int step, int totalSteps, double similarity, Supplier<byte[]> previewPng) {
        long now = clock.millis();
        Long last = lastPreviewAt.get(job.id());
        if (last != null && now - last < settings.previewEvery().toMillis()) {
            return;
        }
        lastPreviewAt.put(job.id(), now);
        String text = Messages.progress(job, plans.get(job.id()), step, totalSteps, similarity);
        byte[] preview = previewPng.get(); // null: a worker on another host has no preview to give
        status(job, preview == null ? Post.text(text) : new Post(text, preview, Messages.previewFileName(job)));
    }

    @Override
    public void done(RenderJob job, RenderOutcome outcome, Path pngFile) {
        Post post = new Post(Messages.result(job, outcome), outcome.png(), Messages.resultFileName(job, outcome));
        status(job, Post.text(Messages.done(job)));
        deliver(job, post, 1);
    }

    /**
     * Posts a result under the job's reply while it lasts, else in the channel; marks it delivered first thing
     * once posted (a reaction that cannot be added must not make it post again). A failure is counted and tried
     * again later, up to {@code deliveryTries} in all, restarts included; then the result is given up.
     */
    private void deliver(RenderJob job, Post post, int attempt) {
        Reply live = replies.liveReply(job);
        // A process may die after the chat accepted the post but before markDelivered, and another delivers the
        // job again: the channel post carries the job as its nonce, so the chat returns the first message instead
        // of showing the result twice. A follow-up under the interaction's reply cannot carry a nonce (Discord's
        // webhook messages have none), so a repeated follow-up is still possible there.
        Post once = post.withNonce(resultNonce(job));
        CompletableFuture<String> posted = live == null ? channels.post(job.origin().channelId(), once)
                : live.followUp(post).exceptionallyComposeAsync(e -> {
                    LOG.info("the result of job {} goes to the channel: {}", job.id(), e.toString());
                    return channels.post(job.origin().channelId(), once);
                }, work);
        posted.whenCompleteAsync((messageId, error) -> {
            if (error == null) {
                delivered(job, messageId);
            } else {
                undelivered(job, post, attempt, error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            }
        }, work);
    }

    /** The idempotency key of a job's result post: one result message per job, whichever process posts it. */
    static String resultNonce(RenderJob job) {
        return "job-" + job.id();
    }

    private void delivered(RenderJob job, String messageId) {
        queue.markDelivered(job.id());
        try {
            if (job.kind() == JobKind.DREAM) {
                results.record(new ResultMessages.ResultMessage(messageId, job.origin().channelId(), job.id(),
                        job.requesterId()));
                channels.react(job.origin().channelId(), messageId, RERUN);
            }
        } catch (RuntimeException e) {
            LOG.warn("the result of job {} is posted, but 🔁 will not work on it: {}", job.id(), e.toString());
        } finally {
            forget(job);
        }
    }

    private void undelivered(RenderJob job, Post post, int attempt, Throwable error) {
        if (queue.deliveryFailed(job.id(), error.toString(), settings.deliveryTries())) {
            status(job, Post.text(Messages.undeliverable(job)));
            forget(job);
            return;
        }
        long delay = settings.deliveryRetry().toMillis() << Math.min(attempt - 1, 20);
        LOG.warn("could not post the result of job {} (try {}): {}; trying again in {} ms", job.id(), attempt,
                error.toString(), delay);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, work).execute(() -> deliver(job, post,
                attempt + 1));
    }

    @Override
    public void failed(RenderJob job, String message) {
        status(job, Post.text(Messages.failed(job, message)));
        forget(job);
    }

    @Override
    public void cancelled(RenderJob job) {
        status(job, Post.text(Messages.cancelled(job)));
        forget(job);
    }

    /** Shows a job's state where its requester looks: the live reply, else a status message in the channel. */
    private void status(RenderJob job, Post post) {
        Reply live = replies.liveReply(job);
        if (live != null && live.edit(post)) {
            return;
        }
        if (job.origin().channelId() == null) {
            return;
        }
        CompletableFuture<String> existing = statusMessages.get(job.id());
        if (existing != null) {
            existing.thenAcceptAsync(id -> channels.edit(job.origin().channelId(), id, post), work);
        } else {
            statusMessages.put(job.id(), channels.post(job.origin().channelId(), post));
        }
    }

    private void forget(RenderJob job) {
        replies.forget(job);
        statusMessages.remove(job.id());
        lastPreviewAt.remove(job.id());
        plans.remove(job.id());
    }
}
