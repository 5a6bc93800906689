package dev.vlltr.core.data;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The batches of one epoch from a start batch, in order, with at most {@code prefetch} of them submitted ahead of the
 * consumer; closing it cancels those not yet taken. How a batch is assembled is up to the loader that owns the queue
 * ({@link BatchLoader}, the streaming loader of the dataset package): it only hands over a {@link Submitter}. The
 * loaders' {@code Epoch} iterators extend it.
 */
public class PrefetchQueue implements Iterator<FloatBatch>, AutoCloseable {

    /** Starts assembling batch {@code b} (its image indices {@code indices}) of the epoch. */
    @FunctionalInterface
    public interface Submitter {
        Future<FloatBatch> submit(int b, int[] indices);
    }

    private final int epoch;
    private final int[][] order;
    private final int prefetch;
    private final Submitter submitter;
    private final ArrayDeque<Future<FloatBatch>> inFlight = new ArrayDeque<>();
    private int submitted;
    private int taken;

    /**
     * @param epoch the epoch number (for messages)
     * @param order the batches of the whole epoch, as image indices
     * @param start the first batch to hand out
     * @param prefetch batches submitted ahead at most, at least 1
     */
    public PrefetchQueue(int epoch, int[][] order, int start, int prefetch, Submitter submitter) {
        this.epoch = epoch;
        this.order = order;
        this.prefetch = prefetch;
        this.submitter = submitter;
        this.submitted = start;
        this.taken = start;
        while (submitted < order.length && inFlight.size() < prefetch) {
            submitNext();
        }
    }

    private void submitNext() {
        int b = submitted++;
        inFlight.add(submitter.submit(b, order[b]));
    }

    /** @return batches in the whole epoch */
    public final int size() {
        return order.length;
    }

    /** @return the position of the next batch in the epoch */
    public final int taken() {
        return taken;
    }

    @Override
    public final boolean hasNext() {
        return taken < order.length;
    }

    @Override
    public final FloatBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has " + order.length + " batches");
        }
        Future<FloatBatch> head = inFlight.poll();
        if (submitted < order.length) {
            submitNext();
        }
        taken++;
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + (taken - 1), e);
        } catch (ExecutionException | CompletionException | CancellationException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce ? ce.getCause() : e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("batch " + (taken - 1) + " of epoch " + epoch + " failed", cause);
        }
    }

    @Override
    public final void close() {
        for (Future<FloatBatch> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
        taken = order.length;
    }
}
