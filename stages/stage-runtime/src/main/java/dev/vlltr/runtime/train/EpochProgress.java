package dev.vlltr.runtime.train;

import dev.vlltr.runtime.cli.Progress;
import java.util.Iterator;

/**
 * The progress bar of one epoch, opened when the stage hands over the epoch's batches ({@link #track}) and closed when
 * they run out (the evaluation that follows is not part of it) or at the latest by the runner at the end of the
 * epoch. A stage that does not call {@link #track} gets no bar (fast epochs).
 */
public final class EpochProgress implements AutoCloseable {

    private final String task;
    private Progress bar;

    EpochProgress(String task) {
        this.task = task;
    }

    /**
     * @param batches the epoch's batches
     * @param total   how many there are
     * @return the same batches, stepping the bar as each is taken
     */
    public <T> Iterator<T> track(Iterator<T> batches, long total) {
        close();
        bar = Progress.start(task, total);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = batches.hasNext();
                if (!more) {
                    close();
                }
                return more;
            }

            @Override
            public T next() {
                if (bar != null) {
                    bar.step();
                }
                return batches.next();
            }
        };
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
