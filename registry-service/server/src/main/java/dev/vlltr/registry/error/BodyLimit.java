package dev.vlltr.registry.error;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Cuts off a request body at {@code vlltr.registry.max-body-size} while it is read, with 413 problem+json. A
 * declared length is already checked by {@link TransportLimits} before anything is read; this catches bodies sent
 * without one (chunked), which the HTTP layer would otherwise cut off itself with an empty 413 (its own limit,
 * {@code quarkus.http.limits.max-body-size}, is therefore set far above this one).
 */
@Provider
public class BodyLimit implements ReaderInterceptor {
    @ConfigProperty(name = "vlltr.registry.max-body-size", defaultValue = "512K")
    MemorySize maxBodySize;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext ctx) throws IOException {
        ctx.setInputStream(new Limited(ctx.getInputStream(), maxBodySize.asLongValue()));
        return ctx.proceed();
    }

    /** Counts what is read and refuses to read past the limit. */
    static final class Limited extends FilterInputStream {
        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > max) {
                throw tooLarge(max);
            }
        }
    }

    static ProblemException tooLarge(long max) {
        return new ProblemException(413, "Content Too Large", "request body exceeds the limit of " + max + " bytes")
                .with("maxBytes", max);
    }
}
