package dev.dreamoven.bot;

import dev.dreamoven.render.JobKind;
import dev.dreamoven.render.JobRecord;
import dev.dreamoven.render.JobStatus;
import dev.dreamoven.render.RenderJob;
import dev.dreamoven.render.RenderOutcome;
import dev.dreamoven.render.RenderQueue;
import java.util.List;
import java.util.Locale;

/** Every text the bot writes, in one place: replies, refusals, job updates and results. */
final class Messages {

    static final String COULD_NOT_QUEUE = "Sorry, I could not queue that just now. Please try again.";
    static final String FAILED = "Sorry, that failed. Please try again later.";
    static final String BAKERS_ONLY = "Only the bot's bakers may use /bake: members of its home server with an "
            + "admin role.";
    static final String BAKED_PROMPT_GONE = "That baked prompt is no longer there; please pick another.";
    static final String ATTACH_A_FILE = "Please attach a baked path file (.pt or .safetensors).";
    static final String FILE_TOO_BIG = "That file is too big for a baked path (at most 20 MB).";
    static final String NOTHING_TO_CANCEL = "You have no job waiting or running.";
    static final String QUEUE_EMPTY = "The queue is empty: /dream away.";
    static final String JOB_NUMBER = "job must be a job number like 12.";

    private Messages() {
    }

    // ------------------------------------------------------------------ refusals of options

    static String unknownCommand(String command) {
        return "I don't know the command /" + command + ".";
    }

    static String missing(String option) {
        return "Please give a " + option + " (what to dream).";
    }

    static String tooLong(String option, int length, int max) {
        return "The " + option + " is too long: " + length + " characters, at most " + max + ".";
    }

    static String controlCharacters(String option) {
        return "The " + option + " contains control characters; please use plain text.";
    }

    static String notANumber(String option, long min, long max) {
        return option + " must be a whole number from " + min + " to " + max + ".";
    }

    static String outOfRange(String option, long min, long max, long got) {
        return option + " must be from " + min + " to " + max + " (got " + got + ").";
    }

    static String oneOf(String option, List<String> values) {
        return option + " must be one of " + String.join(", ", values) + ".";
    }

    static String cannotPostHere(List<String> missing) {
        return "I cannot post pictures in this channel: I lack " + String.join(", ", missing)
                + ". Ask a server admin to give me these here, or use me in another channel.";
    }

    static String badPalette(List<String> names) {
        return "palette must be one of " + String.join(", ", names)
                + ", or a comma list of 2-64 hex colours like #1d2b53,#ff004d.";
    }

    // ------------------------------------------------------------------ answers

    static String imported(String prompt) {
        return "Imported the baked path of \"" + prompt + "\".";
    }

    static String removed(String prompt, boolean wasThere) {
        return wasThere ? "Removed the baked path of \"" + prompt + "\"." : "There is no baked path for \"" + prompt + "\".";
    }

    static String bakedList(String prefix, List<String> found, int limit) {
        if (found.isEmpty()) {
            return prefix.isBlank() ? "Nothing is baked yet. Use /bake add." : "No baked prompt matches \"" + prefix + "\".";
        }
        StringBuilder sb = new StringBuilder("Baked prompts (" + found.size() + (found.size() == limit ? "+" : "") + "):");
        found.forEach(p -> sb.append("\n• ").append(p));
        return sb.toString();
    }

    /**
     * The first {@code shown} jobs of {@code jobs} (running first), "…and more." when there are others; a job
     * from outside {@code guildId} (when not null) shows without prompt or requester.
     */
    static String queue(List<JobRecord> jobs, int shown, String userId, String guildId) {
        if (jobs.isEmpty()) {
            return QUEUE_EMPTY;
        }
        StringBuilder sb = new StringBuilder("Queue:");
        int position = 0;
        for (JobRecord r : jobs.subList(0, Math.min(shown, jobs.size()))) {
            RenderJob j = r.job();
            sb.append('\n').append(r.status() == JobStatus.RUNNING ? "▶ now" : ++position + ".");
            if (guildId != null && !guildId.equals(j.origin().guildId())) {
                sb.append(" a job from another server");
                continue;
            }
            String who = j.requesterId().equals(userId) ? "you" : "<@" + j.requesterId() + ">";
            sb.append(" #").append(j.id()).append(' ').append(j.kind().name().toLowerCase(Locale.ROOT))
                    .append(" \"").append(shorten(j.request().prompt(), 60)).append("\" (").append(who).append(')');
        }
        if (jobs.size() > shown) {
            sb.append("\n…and more.");
        }
        return sb.toString();
    }

    static String cancel(RenderQueue.CancelResult result, long jobId) {
        return switch (result) {
            case CANCELLED -> "Cancelled job #" + jobId + ".";
            case STOPPING -> "Stopping job #" + jobId + "…";
            case NOT_FOUND -> "There is no job #" + jobId + ".";
            case NOT_YOURS -> "Job #" + jobId + " is not yours to cancel.";
            case ALREADY_FINISHED -> "Job #" + jobId + " has already finished.";
        };
    }

    /** A refusal posted in the channel (a 🔁 that could not be queued). */
    static String toUser(String userId, String message) {
        return "<@" + userId + "> " + message;
    }

    // ------------------------------------------------------------------ job updates

    static String accepted(RenderJob job, int position) {
        return "⏳ <@" + job.requesterId() + "> " + noun(job) + " **" + job.request().prompt() + "** is job #"
                + job.id() + ", position " + position + " in the queue" + seedText(job) + ".";
    }

    static String recovered(RenderJob job, int position) {
        return "♻️ <@" + job.requesterId() + "> Dream Oven restarted: " + noun(job) + " **" + job.request().prompt()
                + "** (job #" + job.id() + ") is back in the queue, position " + position + ".";
    }

    static String undeliverable(RenderJob job) {
        return "⚠️ <@" + job.requesterId() + "> " + capital(noun(job)) + " **" + job.request().prompt() + "** (job #"
                + job.id() + ") is done, but I could not post the picture here.";
    }

    static String started(RenderJob job) {
        return "🎨 " + capital(noun(job)) + " **" + job.request().prompt() + "** (job #" + job.id() + ") is in the oven…";
    }

    static String planned(RenderJob job, String plan) {
        return "🎨 " + capital(noun(job)) + " **" + job.request().prompt() + "** (job #" + job.id() + "): " + plan;
    }

    /** @param plan the engine's plan in words, repeated above the step; null when it said none */
    static String progress(RenderJob job, String plan, int step, int totalSteps, double similarity) {
        // NaN: a worker on another host reported the step only
        return String.format(Locale.ROOT, "🎨 **%s** (job #%d): %sstep %d/%d%s", job.request().prompt(), job.id(),
                plan == null ? "" : plan + "\n", step, totalSteps,
                Double.isNaN(similarity) ? "" : String.format(Locale.ROOT, ", similarity %.3f", similarity));
    }

    static String result(RenderJob job, RenderOutcome outcome) {
        String mode = outcome.mode() + (outcome.modeDetail().isBlank() ? "" : " " + outcome.modeDetail());
        // Which model (or ensemble) guided: pictures of different models are not comparable.
        String model = outcome.model().isBlank() ? "" : " · model: " + outcome.model();
        return String.format(Locale.ROOT, "%s <@%s> **%s**\nseed %d · mode: %s%s · similarity %.3f · %.1f s · job #%d",
                job.kind() == JobKind.BAKE ? "🍞 Baked" : "🖼️", job.requesterId(), job.request().prompt(), outcome.seed(),
                mode, model, outcome.similarity(), outcome.seconds(), job.id());
    }

    static String resultFileName(RenderJob job, RenderOutcome outcome) {
        return (job.kind() == JobKind.BAKE ? "bake-" : "dream-") + job.id() + "-seed" + outcome.seed() + ".png";
    }

    static String previewFileName(RenderJob job) {
        return "preview-" + job.id() + ".png";
    }

    static String done(RenderJob job) {
        return "✅ " + capital(noun(job)) + " **" + job.request().prompt() + "** (job #" + job.id() + ") is done.";
    }

    static String failed(RenderJob job, String message) {
        return "⚠️ <@" + job.requesterId() + "> " + message;
    }

    static String cancelled(RenderJob job) {
        return "🚫 " + capital(noun(job)) + " **" + job.request().prompt() + "** (job #" + job.id() + ") was cancelled.";
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
}
