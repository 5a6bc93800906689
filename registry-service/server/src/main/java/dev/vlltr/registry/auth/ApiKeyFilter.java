package dev.vlltr.registry.auth;

import dev.vlltr.registry.error.Problems;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates {@code X-API-Key} (or {@code Authorization: Bearer <key>}) and checks the endpoint's
 * {@link Allowed} role: no or unknown key → 401, too weak a role → 403. The key itself is never logged.
 */
public class ApiKeyFilter {
    @Inject
    ApiKeyStore keys;

    @Inject
    Caller caller;

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext ctx, ResourceInfo info) {
        Method m = info.getResourceMethod();
        if (m == null || !info.getResourceClass().getPackageName().startsWith("dev.vlltr.registry")) {
            return Optional.empty();
        }
        Allowed allowed = m.getAnnotation(Allowed.class);
        Role needed = allowed == null ? Role.ADMIN : allowed.value();
        String key = ctx.getHeaderString("X-API-Key");
        String authz = ctx.getHeaderString("Authorization");
        if (key == null && authz != null && authz.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authz.substring(7).trim();
        }
        if (key == null || key.isEmpty() || key.length() > 200) {
            return Optional.of(unauthorized("missing API key: send it in the X-API-Key header"));
        }
        Optional<ApiKeyStore.Principal> p = keys.resolve(key);
        if (p.isEmpty()) {
            return Optional.of(unauthorized("unknown or revoked API key"));
        }
        String rid = ctx.getHeaderString("X-Request-Id");
        if (rid == null || rid.length() > 128) {
            rid = UUID.randomUUID().toString();
        }
        caller.set(p.get().name(), p.get().role(), rid);
        if (!p.get().role().includes(needed)) {
            return Optional.of(Problems.response(403, "Forbidden",
                    "this endpoint needs role '" + needed.wire() + "'; key '" + p.get().name() + "' has role '"
                            + p.get().role().wire() + "'", null));
        }
        return Optional.empty();
    }

    private static Response unauthorized(String detail) {
        Response r = Problems.response(401, "Unauthorized", detail, null);
        return Response.fromResponse(r).header("WWW-Authenticate", "ApiKey header=\"X-API-Key\"").build();
    }
}
