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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat bot, the same for Discord, the console and the tests: its slash commands
 * ({@link #definitions()}, dispatched by {@link #onCommand}), autocomplete and reactions in;
 * replies, previews and result posts out, as the render queue's {@link JobEvents}. The transport's
 * thread only validates and acknowledges; database and engine work runs on {@code work}.
 */
public final class DreamBot implements JobEvents {

    public static final String RERUN = "🔁";
    public static final String DELETE = "❌";
    private static final Logger LOG = LoggerFactory.getLogger(DreamBot.class);

    private final RenderQueue queue;
    private final BakedPrompts baked;
    private final Channels channels;
    private final ResultMessages results;
    private final Executor work;
    private final LongSupplier seeds;
    private final Clock clock;
    private final Duration previewEvery;
    private final Replies replies;
    private final Map<String, SlashCommand> commands = new LinkedHashMap<>();

    /** Channel status messages of jobs without a live reply (reruns, restarts, expired tokens). */
    private final Map<Long, CompletableFuture<String>> statusMessages = new ConcurrentHashMap<>();
    private final Map<Long, Long> lastPreviewAt = new ConcurrentHashMap<>();

    public DreamBot(RenderQueue queue, BakedPrompts baked, Channels channels, ResultMessages results, Executor work,
            LongSupplier seeds, Clock clock, Duration previewEvery) {
        this.queue = queue;
        this.baked = baked;
        this.channels = channels;
        this.results = results;
        this.work = work;
        this.seeds = seeds;
        this.clock = clock;
        this.previewEvery = previewEvery;
        this.replies = new Replies(queue, work);
        for (SlashCommand c : List.of(new DreamSlashCommand(replies, seeds), new BakeSlashCommand(replies, baked, seeds),
                new QueueSlashCommand(replies, queue), new CancelSlashCommand(replies, queue))) {
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

    /** Autocomplete of baked prompts for {@code /bake remove} and {@code /dream}'s prompt; may touch the store, so call it off the gateway thread. */
    public List<String> autocomplete(String typed) {
        return baked.search(typed == null ? "" : typed.strip(), 25).stream()
                .map(p -> p.length() > 100 ? p.substring(0, 100) : p).toList();
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
    public void started(RenderJob job) {
        status(job, Post.text(Messages.started(job)));
    }

    @Override
    public void progress(RenderJob job, int step, int totalSteps, double similarity, Supplier<byte[]> previewPng) {
        long now = clock.millis();
        Long last = lastPreviewAt.get(job.id());
        if (last != null && now - last < previewEvery.toMillis()) {
            return;
        }
        lastPreviewAt.put(job.id(), now);
        status(job, new Post(Messages.progress(job, step, totalSteps, similarity), previewPng.get(),
                Messages.previewFileName(job)));
    }

    @Override
    public void done(RenderJob job, RenderOutcome outcome, Path pngFile) {
        Post post = new Post(Messages.result(job, outcome), outcome.png(), Messages.resultFileName(job, outcome));
        status(job, Post.text(Messages.done(job)));
        Interaction live = replies.liveReply(job);
        CompletableFuture<String> posted = live != null ? live.followUp(post) : null;
        if (posted == null) {
            posted = channels.post(job.origin().channelId(), post);
        } else {
            posted = posted.exceptionallyCompose(e -> channels.post(job.origin().channelId(), post));
        }
        posted.thenAccept(messageId -> {
            if (job.kind() == JobKind.DREAM) {
                results.record(new ResultMessages.ResultMessage(messageId, job.origin().channelId(), job.id(),
                        job.requesterId()));
                channels.react(job.origin().channelId(), messageId, RERUN);
            }
            queue.markDelivered(job.id());
        }).exceptionally(e -> {
            LOG.warn("could not post the result of job {}: {}", job.id(), e.toString());
            return null;
        }).whenComplete((ok, e) -> forget(job));
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
        Interaction live = replies.liveReply(job);
        if (live != null && live.edit(post)) {
            return;
        }
        if (job.origin().channelId() == null) {
            return;
        }
        CompletableFuture<String> existing = statusMessages.get(job.id());
        if (existing != null) {
            existing.thenAccept(id -> channels.edit(job.origin().channelId(), id, post));
        } else {
            statusMessages.put(job.id(), channels.post(job.origin().channelId(), post));
        }
    }

    private void forget(RenderJob job) {
        replies.forget(job);
        statusMessages.remove(job.id());
        lastPreviewAt.remove(job.id());
    }
}
