package dev.vlltr.registry.error;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses malformed requests to the API before routing, as problem+json: a POST, PUT or PATCH without a
 * Content-Type (415; every such endpoint takes a JSON body), and a NUL character in any query parameter or in the
 * path (400; PostgreSQL cannot store one, and without this check it would surface as a database error).
 */
public class RequestShapeFilter {
    static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH");

    @ServerRequestFilter(preMatching = true)
    public Optional<jakarta.ws.rs.core.Response> check(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return Optional.empty();
        }
        if (path.indexOf('\u0000') >= 0) {
            return Optional.of(Problems.response(400, "Bad Request", "the path contains a NUL character", null));
        }
        MultivaluedMap<String, String> query = ctx.getUriInfo().getQueryParameters();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            boolean nul = e.getKey().indexOf('\u0000') >= 0
                    || e.getValue().stream().anyMatch(v -> v.indexOf('\u0000') >= 0);
            if (nul) {
                return Optional.of(Problems.response(400, "Bad Request", "query parameter '"
                        + LogSafe.escape(e.getKey()) + "' contains a NUL character", null));
            }
        }
        if (WITH_BODY.contains(ctx.getMethod()) && ctx.getHeaderString("Content-Type") == null) {
            return Optional.of(Problems.response(415, "Unsupported Media Type",
                    "send the body as JSON with the header Content-Type: application/json", null));
        }
        return Optional.empty();
    }
}
