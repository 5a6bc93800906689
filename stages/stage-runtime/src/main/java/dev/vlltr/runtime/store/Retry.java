package dev.vlltr.runtime.store;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retries an operation on transient failures with exponential backoff (doubling, with ±25 % jitter). */
final class Retry {

    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    interface Op<T> {
        T call() throws Exception;
    }

    private Retry() {}

    static <T> T call(String what, int attempts, Duration firstBackoff, Predicate<Throwable> transient_, Op<T> op)
            throws IOException {
        long backoff = firstBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return op.call();
            } catch (Exception e) {
                if (attempt >= attempts || !transient_.test(e)) {
                    throw asIo(what, e);
                }
                long sleep = (long) (backoff * (0.75 + 0.5 * Math.random()));
                LOG.warn("{} failed (attempt {}/{}): {}; retrying in {} ms", what, attempt, attempts, e.toString(), sleep);
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw asIo(what, e);
                }
                backoff *= 2;
            }
        }
    }

    private static IOException asIo(String what, Exception e) {
        if (e instanceof IOException io) {
            return io;
        }
        if (e instanceof RuntimeException re) {
            throw re;
        }
        return new IOException(what + " failed: " + e.getMessage(), e);
    }
}
