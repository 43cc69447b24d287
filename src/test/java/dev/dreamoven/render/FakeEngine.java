package dev.dreamoven.render;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A render engine for tests: records the jobs it gets, and can hold a job until released or cancelled. */
public final class FakeEngine implements RenderEngine {

    /** What every job is told before the work. */
    public static final String PLAN = "starting from the baked path of 'a' (very close); 2 steps";

    public final List<RenderJob> calls = new CopyOnWriteArrayList<>();
    public final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final boolean hold;

    private FakeEngine(boolean hold) {
        this.hold = hold;
    }

    /** Finishes every job at once. */
    public static FakeEngine instant() {
        FakeEngine e = new FakeEngine(false);
        e.release.countDown();
        return e;
    }

    /** Holds every job until {@link #release()} or until it is cancelled. */
    public static FakeEngine holding() {
        return new FakeEngine(true);
    }

    public void release() {
        release.countDown();
    }

    @Override
    public RenderOutcome render(RenderJob job, RenderProgress progress) throws Exception {
        calls.add(job);
        started.countDown();
        progress.planned(PLAN);
        progress.update(1, 2, 0.25, () -> new byte[] {1, 2, 3});
        if (hold) {
            while (!release.await(5, TimeUnit.MILLISECONDS)) {
                if (progress.cancelled()) {
                    throw new InterruptedException("cancelled");
                }
            }
        }
        progress.update(2, 2, 0.5, () -> new byte[] {4, 5, 6});
        byte[] png = PlaceholderEngine.png(job.request().seed(), 16, 1);
        return new RenderOutcome(png, "auto-microwave", "from 'a' and 'b'", 0.5, job.request().seed(), 0.01);
    }
}
