package dev.vlltr.runtime.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A progress bar for long loops: drawn on the terminal when there is one, otherwise (pods, CI, log files) written
 * as a log line every 10 seconds so that logs stay readable.
 */
public final class Progress implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("progress");

    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    public static Progress start(String task, long total) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).showSpeed();
        if (System.console() != null && System.getenv("VLLTR_PLAIN_PROGRESS") == null) {
            b.setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250);
        } else {
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(10_000)
                    .setConsumer(new DelegatingProgressBarConsumer(LOG::info, 100));
        }
        return new Progress(b.build());
    }

    public void step() {
        bar.step();
    }

    public void stepBy(long n) {
        bar.stepBy(n);
    }

    /** A short status shown after the bar, e.g. {@code loss=0.412}. */
    public void message(String text) {
        bar.setExtraMessage(text);
    }

    public long current() {
        return bar.getCurrent();
    }

    @Override
    public void close() {
        bar.close();
    }
}
