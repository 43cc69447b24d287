package dev.dreamoven.render;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** A transport for tests: writes down every event as a line like {@code "done 3"}. */
public final class RecordingEvents implements JobEvents {

    public final List<String> lines = new CopyOnWriteArrayList<>();
    public final List<String> failures = new CopyOnWriteArrayList<>();
    /** The preview pictures progress came with. */
    public final List<byte[]> previews = new CopyOnWriteArrayList<>();
    private final RenderQueue[] deliverTo = new RenderQueue[1];

    /** Marks results delivered on this queue, like a real transport. */
    public RecordingEvents delivering(RenderQueue queue) {
        deliverTo[0] = queue;
        return this;
    }

    @Override
    public void accepted(RenderJob job, int position) {
        lines.add("accepted " + job.id() + " at " + position);
    }

    @Override
    public void moved(RenderJob job, int position) {
        lines.add("moved " + job.id() + " to " + position);
    }

    @Override
    public void started(RenderJob job) {
        lines.add("started " + job.id());
    }

    @Override
    public void progress(RenderJob job, int step, int totalSteps, double similarity, Supplier<byte[]> previewPng) {
        lines.add("progress " + job.id() + " " + step + "/" + totalSteps);
        byte[] preview = previewPng.get();
        if (preview != null) {
            previews.add(preview);
        }
    }

    @Override
    public void done(RenderJob job, RenderOutcome outcome, Path pngFile) {
        lines.add("done " + job.id());
        if (deliverTo[0] != null) {
            deliverTo[0].markDelivered(job.id());
        }
    }

    @Override
    public void failed(RenderJob job, String message) {
        lines.add("failed " + job.id());
        failures.add(message);
    }

    @Override
    public void cancelled(RenderJob job) {
        lines.add("cancelled " + job.id());
    }

    /** Waits (at most 10 s) until a line matches. */
    public void await(Predicate<List<String>> condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.test(lines)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out; events so far: " + lines);
            }
            Thread.sleep(5);
        }
    }

    public void awaitLine(String line) throws InterruptedException {
        await(l -> l.contains(line));
    }
}
