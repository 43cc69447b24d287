package dev.dreamoven.cli;

import dev.dreamoven.dream.DreamListener;
import dev.dreamoven.dream.DreamProgress;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar for a dream (on stderr, so stdout stays for results): steps done, steps/s
 * and the current CLIP similarity. One bar per run; several runs (a bake) get one bar each.
 */
final class DreamProgressBar implements DreamListener, AutoCloseable {

    private final String task;
    private ProgressBar bar;
    private long lastTotal = -1;
    private int lastStep;

    DreamProgressBar(String task) {
        this.task = task;
    }

    @Override
    public void onStep(DreamProgress p) {
        if (bar == null || p.totalSteps() != lastTotal || p.step() < lastStep) {
            closeBar();
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(p.totalSteps())
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).showSpeed()
                    .setUnit(" steps", 1).continuousUpdate().setConsumer(
                            new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .build();
            lastTotal = p.totalSteps();
        }
        lastStep = p.step();
        bar.stepTo(p.step());
        bar.setExtraMessage(String.format(Locale.ROOT, "similarity %.3f", p.similarity()));
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
