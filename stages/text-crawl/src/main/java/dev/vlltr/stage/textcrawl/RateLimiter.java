package dev.vlltr.stage.textcrawl;

import java.time.Duration;

/** Spaces requests at least {@code minInterval} apart (one client, any number of threads). */
final class RateLimiter {

    private final long minIntervalNanos;
    private long nextAllowed = Long.MIN_VALUE;

    RateLimiter(Duration minInterval) {
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("rate-limit interval must be >= 0, got " + minInterval);
        }
        this.minIntervalNanos = minInterval.toNanos();
    }

    /** Blocks until the next request may go out. */
    synchronized void acquire() throws InterruptedException {
        long now = System.nanoTime();
        if (nextAllowed != Long.MIN_VALUE && now < nextAllowed) {
            long waitNanos = nextAllowed - now;
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
            now = System.nanoTime();
        }
        nextAllowed = now + minIntervalNanos;
    }
}
