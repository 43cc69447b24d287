package dev.dreamoven.bot;

import dev.dreamoven.common.InvalidInputException;
import dev.dreamoven.dream.DreamRequest;
import dev.dreamoven.render.BakedPrompts;
import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.JobOrigin;
import dev.dreamoven.render.JobRecord;
import dev.dreamoven.render.JobStatus;
import dev.dreamoven.render.JobEvents;
import dev.dreamoven.render.RenderJob;
import dev.dreamoven.render.RenderOutcome;
import dev.dreamoven.render.RenderQueue;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 * The chat bot's handlers, the same for Discord and the console: slash commands, autocomplete and
 * reactions in; replies, previews and result posts out (as the render queue's {@link JobEvents}).
 * The transport's thread only validates and acknowledges; database and engine work runs on
 * {@code work}.
 */
public final class DreamBot implements JobEvents {

    public static final String RERUN = "🔁";
    public static final String DELETE = "❌";
    private static final Logger LOG = LoggerFactory.getLogger(DreamBot.class);
    private static final long MAX_IMPORT_BYTES = 20L << 20;

    private final RenderQueue queue;
    private final BakedPrompts baked;
    private final Channels channels;
    private final ResultMessages results;
    private final Executor work;
    private final LongSupplier seeds;
    private final Clock clock;
    private final Duration previewEvery;

    /** Live replies by interaction id: where a job's progress goes while the token lasts. */
    private final Map<String, Interaction> replies = new ConcurrentHashMap<>();
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
    }

    // ------------------------------------------------------------------ commands

    /** Handles one command. Returns within milliseconds: it never touches the database or the engine itself. */
    public void onCommand(Interaction i) {
        try {
            switch (i.command()) {
                case "dream" -> {
                    DreamRequest request = DreamOptions.parse(i, seeds.getAsLong());
                    acceptJob(i, JobKind.DREAM, request);
                }
                case "bake add" -> {
                    requireBaker(i);
                    String prompt = DreamOptions.prompt("prompt", i.option("prompt"));
                    acceptJob(i, JobKind.BAKE, DreamRequest.of(prompt, seeds.getAsLong()));
                }
                case "bake list" -> {
                    requireBaker(i);
                    answerLater(i, () -> bakeList(i.option("prompt").orElse("")));
                }
                case "bake remove" -> {
                    requireBaker(i);
                    String prompt = DreamOptions.prompt("prompt", i.option("prompt"));
                    answerLater(i, () -> baked.remove(prompt) ? "Removed the baked path of \"" + prompt + "\"."
                            : "There is no baked path for \"" + prompt + "\".");
                }
                case "bake import" -> {
                    requireBaker(i);
                    Attachment file = i.attachment("file").orElseThrow(() ->
                            new InvalidInputException("Please attach a baked path file (.pt or .safetensors)."));
                    if (file.size() > MAX_IMPORT_BYTES) {
                        throw new InvalidInputException("That file is too big for a baked path (at most 20 MB).");
                    }
                    answerLater(i, () -> "Imported the baked path of \""
                            + baked.importAttachment(file.fileName(), file.download().call()) + "\".");
                }
                case "queue" -> answerLater(i, () -> queueText(i.userId()));
                case "cancel" -> {
                    Optional<Long> job = i.option("job").map(s -> DreamOptionsJob.parse(s));
                    answerLater(i, () -> cancel(i, job));
                }
                default -> i.replyPrivately("I don't know the command /" + i.command() + ".");
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

    private void acceptJob(Interaction i, JobKind kind, DreamRequest request) {
        i.defer(false);
        replies.put(i.id(), i);
        work.execute(() -> {
            try {
                queue.submit(kind, i.userId(), new JobOrigin(i.guildId(), i.channelId(), i.id()), request);
            } catch (InvalidInputException e) {
                replies.remove(i.id());
                i.replyPrivately(e.getMessage());
            } catch (RuntimeException e) {
                replies.remove(i.id());
                LOG.error("cannot queue a job", e);
                i.replyPrivately("Sorry, I could not queue that just now. Please try again.");
            }
        });
    }

    /** Private answers that need the database or the store: acknowledge now, answer from the worker. */
    private void answerLater(Interaction i, java.util.concurrent.Callable<String> answer) {
        i.defer(true);
        work.execute(() -> {
            try {
                i.reply(answer.call());
            } catch (InvalidInputException e) {
                i.replyPrivately(e.getMessage());
            } catch (Exception e) {
                LOG.error("command /{} failed", i.command(), e);
                i.replyPrivately("Sorry, that failed. Please try again later.");
            }
        });
    }

    private static void requireBaker(Interaction i) {
        if (!i.mayBake()) {
            throw new InvalidInputException("Only members with Manage Server or the baker role may use /bake.");
        }
    }

    private String bakeList(String prefix) {
        List<String> found = baked.search(prefix.strip(), 25);
        if (found.isEmpty()) {
            return prefix.isBlank() ? "Nothing is baked yet. Use /bake add." : "No baked prompt matches \"" + prefix + "\".";
        }
        StringBuilder sb = new StringBuilder("Baked prompts (" + found.size() + (found.size() == 25 ? "+" : "") + "):");
        found.forEach(p -> sb.append("\n• ").append(p));
        return sb.toString();
    }

    private String queueText(String userId) {
        List<JobRecord> jobs = queue.snapshot(11);
        if (jobs.isEmpty()) {
            return "The queue is empty: /dream away.";
        }
        StringBuilder sb = new StringBuilder("Queue:");
        int position = 0;
        for (JobRecord r : jobs.subList(0, Math.min(10, jobs.size()))) {
            RenderJob j = r.job();
            String who = j.requesterId().equals(userId) ? "you" : "<@" + j.requesterId() + ">";
            sb.append('\n').append(r.status() == JobStatus.RUNNING ? "▶ now" : ++position + ".")
                    .append(" #").append(j.id()).append(' ').append(j.kind().name().toLowerCase(Locale.ROOT))
                    .append(" \"").append(shorten(j.request().prompt(), 60)).append("\" (").append(who).append(')');
        }
        if (jobs.size() > 10) {
            sb.append("\n…and more.");
        }
        return sb.toString();
    }

    private String cancel(Interaction i, Optional<Long> jobId) {
        Optional<Long> id = jobId.isPresent() ? jobId : queue.latestUnfinished(i.userId()).map(RenderJob::id);
        if (id.isEmpty()) {
            return "You have no job waiting or running.";
        }
        return switch (queue.cancel(id.get(), i.userId(), i.mayBake())) {
            case CANCELLED -> "Cancelled job #" + id.get() + ".";
            case STOPPING -> "Stopping job #" + id.get() + "…";
            case NOT_FOUND -> "There is no job #" + id.get() + ".";
            case NOT_YOURS -> "Job #" + id.get() + " is not yours to cancel.";
            case ALREADY_FINISHED -> "Job #" + id.get() + " has already finished.";
        };
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
                    channels.post(channelId, Post.text("<@" + userId + "> " + e.getMessage()));
                }
            } catch (RuntimeException e) {
                LOG.error("reaction {} on {} failed", emoji, messageId, e);
            }
        });
    }

    // ------------------------------------------------------------------ job events

    @Override
    public void accepted(RenderJob job, int position) {
        String text = "⏳ <@" + job.requesterId() + "> " + noun(job) + " **" + job.request().prompt() + "** is job #"
                + job.id() + ", position " + position + " in the queue" + seedText(job) + ".";
        status(job, Post.text(text));
    }

    @Override
    public void started(RenderJob job) {
        status(job, Post.text("🎨 " + capital(noun(job)) + " **" + job.request().prompt() + "** (job #" + job.id()
                + ") is in the oven…"));
    }

    @Override
    public void progress(RenderJob job, int step, int totalSteps, double similarity, Supplier<byte[]> previewPng) {
        long now = clock.millis();
        Long last = lastPreviewAt.get(job.id());
        if (last != null && now - last < previewEvery.toMillis()) {
            return;
        }
        lastPreviewAt.put(job.id(), now);
        String text = String.format(Locale.ROOT, "🎨 **%s** (job #%d): step %d/%d, similarity %.3f",
                job.request().prompt(), job.id(), step, totalSteps, similarity);
        status(job, new Post(text, previewPng.get(), "preview-" + job.id() + ".png"));
    }

    @Override
    public void done(RenderJob job, RenderOutcome outcome, Path pngFile) {
        String mode = outcome.mode() + (outcome.modeDetail().isBlank() ? "" : " " + outcome.modeDetail());
        String text = String.format(Locale.ROOT, "%s <@%s> **%s**\nseed %d · mode: %s · similarity %.3f · %.1f s · job #%d",
                job.kind() == JobKind.BAKE ? "🍞 Baked" : "🖼️", job.requesterId(), job.request().prompt(), outcome.seed(),
                mode, outcome.similarity(), outcome.seconds(), job.id());
        Post post = new Post(text, outcome.png(), (job.kind() == JobKind.BAKE ? "bake-" : "dream-") + job.id()
                + "-seed" + outcome.seed() + ".png");
        status(job, Post.text("✅ " + capital(noun(job)) + " **" + job.request().prompt() + "** (job #" + job.id()
                + ") is done."));
        Interaction live = liveReply(job);
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
        status(job, Post.text("⚠️ <@" + job.requesterId() + "> " + message));
        forget(job);
    }

    @Override
    public void cancelled(RenderJob job) {
        status(job, Post.text("🚫 " + capital(noun(job)) + " **" + job.request().prompt() + "** (job #" + job.id()
                + ") was cancelled."));
        forget(job);
    }

    /** Shows a job's state where its requester looks: the live reply, else a status message in the channel. */
    private void status(RenderJob job, Post post) {
        Interaction live = liveReply(job);
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

    private Interaction liveReply(RenderJob job) {
        String key = job.origin().replyKey();
        Interaction i = key == null ? null : replies.get(key);
        if (i != null && i.expired()) {
            replies.remove(key);
            return null;
        }
        return i;
    }

    private void forget(RenderJob job) {
        if (job.origin().replyKey() != null) {
            replies.remove(job.origin().replyKey());
        }
        statusMessages.remove(job.id());
        lastPreviewAt.remove(job.id());
    }

    private static String noun(RenderJob job) {
        return job.kind() == JobKind.BAKE ? "bake of" : "dream";
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String seedText(RenderJob job) {
        return job.kind() == JobKind.DREAM ? " (seed " + job.request().seed() + ")" : "";
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Parses the job option of /cancel. */
    static final class DreamOptionsJob {
        private DreamOptionsJob() {
        }

        static long parse(String s) {
            String t = s.strip();
            if (t.startsWith("#")) {
                t = t.substring(1);
            }
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new InvalidInputException("job must be a job number like 12.");
            }
        }
    }
}
