package dev.vlltr.registry.error;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a body whose declared length exceeds {@code vlltr.registry.max-body-size} (default 512K) with 413 as
 * problem+json, before authentication and parsing. Bodies without a length (chunked) are cut off by the HTTP
 * layer's backstop {@code quarkus.http.limits.max-body-size}, which answers a bare 413.
 */
public class PayloadLimitFilter {
    @ConfigProperty(name = "vlltr.registry.max-body-size", defaultValue = "512K")
    MemorySize maxBodySize;

    @ServerRequestFilter(preMatching = true)
    public Optional<jakarta.ws.rs.core.Response> limit(ContainerRequestContext ctx) {
        String declared = ctx.getHeaderString("Content-Length");
        if (declared == null) {
            return Optional.empty();
        }
        long length;
        try {
            length = Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            return Optional.of(Problems.response(400, "Bad Request", "Content-Length is not a number", null));
        }
        long max = maxBodySize.asLongValue();
        if (length > max) {
            return Optional.of(Problems.response(413, "Content Too Large", "request body of " + length
                    + " bytes exceeds the limit of " + max + " bytes", Map.of("maxBytes", max)));
        }
        return Optional.empty();
    }
}
