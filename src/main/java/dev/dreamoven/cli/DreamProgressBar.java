package dev.dreamoven.cli;

import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamProgress;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress of a dream on stderr (stdout stays for results): steps done, steps/s and the current
 * CLIP similarity. On a terminal a bar that redraws itself; otherwise (output to a file or a pipe,
 * where a redrawn bar becomes hundreds of lines) one line every {@value #LINE_EVERY_PERCENT} % of
 * the steps. One bar per run; several runs (a bake) get one each.
 */
final class DreamProgressBar implements DreamListener, AutoCloseable {

    /** Without a terminal: a line each time this many more percent of the steps are done. */
    static final int LINE_EVERY_PERCENT = 10;

    private final String task;
    private final PrintWriter lines;
    private final boolean terminal;
    private ProgressBar bar;
    private long lastTotal = -1;
    private int lastStep;
    private long runStart;
    private int lastPercentShown;

    /** A bar on a terminal, lines to {@code err} otherwise. */
    DreamProgressBar(String task, PrintWriter err) {
        this(task, err, System.console() != null);
    }

    DreamProgressBar(String task, PrintWriter err, boolean terminal) {
        this.task = task;
        this.lines = err;
        this.terminal = terminal;
    }

    @Override
    public void onStep(DreamProgress p) {
        boolean newRun = p.totalSteps() != lastTotal || p.step() < lastStep;
        if (newRun) {
            closeBar();
            lastTotal = p.totalSteps();
            runStart = System.nanoTime();
            lastPercentShown = 0;
        }
        lastStep = p.step();
        if (terminal) {
            if (bar == null) {
                bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(p.totalSteps())
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                        .setUnit(" steps", 1).continuousUpdate().setConsumer(
                                new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                        .build();
            }
            bar.stepTo(p.step());
            bar.setExtraMessage(String.format(Locale.ROOT, " · similarity %.3f", p.similarity()));
            return;
        }
        int percent = (int) (100L * p.step() / Math.max(1, p.totalSteps()));
        if (percent >= lastPercentShown + LINE_EVERY_PERCENT || p.step() == p.totalSteps() && percent > lastPercentShown) {
            lastPercentShown = percent - percent % LINE_EVERY_PERCENT;
            double seconds = (System.nanoTime() - runStart) / 1e9;
            lines.println(String.format(Locale.ROOT, "%s: %3d%% %d/%d steps, %.1f steps/s · similarity %.3f", task,
                    percent, p.step(), p.totalSteps(), seconds > 0 ? p.step() / seconds : 0.0, p.similarity()));
            lines.flush();
        }
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void close() {
        closeBar();
    }
}
