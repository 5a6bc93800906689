package dev.vlltr.registry.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Size limits of a request, answered as problem+json before anything else runs (authentication, routing,
 * parsing): a declared body over {@code vlltr.registry.max-body-size} (413), a request line over
 * {@code vlltr.registry.max-request-line} (414), headers over {@code vlltr.registry.max-header-size} (431).
 *
 * <p>The HTTP layer (Netty, Vert.x) answers its own limits with an empty body, so its limits
 * ({@code quarkus.http.limits.*}) are set well above these; they remain the backstop for requests larger still
 * (documented in the README). A body sent without a length is cut off by the REST layer at
 * {@code quarkus.http.limits.max-body-size}, whose 413 goes through {@link ProblemMappers}.
 */
@ApplicationScoped
public class TransportLimits {
    @ConfigProperty(name = "vlltr.registry.max-body-size", defaultValue = "512K")
    MemorySize maxBodySize;

    @ConfigProperty(name = "vlltr.registry.max-request-line", defaultValue = "8K")
    MemorySize maxRequestLine;

    @ConfigProperty(name = "vlltr.registry.max-header-size", defaultValue = "16K")
    MemorySize maxHeaderSize;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        // before Quarkus' own upload limit, which would answer 413 with an empty body
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    void check(RoutingContext rc) {
        HttpServerRequest req = rc.request();
        long line = req.method().name().length() + req.uri().length() + 10; // "GET <uri> HTTP/1.1"
        if (line > maxRequestLine.asLongValue()) {
            refuse(rc, 414, "URI Too Long", "the request line has " + line + " bytes, more than the limit of "
                    + maxRequestLine.asLongValue(), maxRequestLine.asLongValue());
            return;
        }
        long headers = 0;
        for (Map.Entry<String, String> h : req.headers()) {
            headers += h.getKey().length() + h.getValue().length() + 4; // "name: value\r\n"
        }
        if (headers > maxHeaderSize.asLongValue()) {
            refuse(rc, 431, "Request Header Fields Too Large", "the request headers have " + headers
                    + " bytes, more than the limit of " + maxHeaderSize.asLongValue(), maxHeaderSize.asLongValue());
            return;
        }
        String declared = req.getHeader("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                refuse(rc, 400, "Bad Request", "Content-Length is not a number", null);
                return;
            }
            if (length > maxBodySize.asLongValue()) {
                refuse(rc, 413, "Content Too Large", "request body of " + length + " bytes exceeds the limit of "
                        + maxBodySize.asLongValue() + " bytes", maxBodySize.asLongValue());
                return;
            }
        }
        rc.next();
    }

    /** Answers problem+json and closes the connection: the unread body must not be taken for the next request. */
    private void refuse(RoutingContext rc, int status, String title, String detail, Long maxBytes) {
        Map<String, Object> body = Problems.body(status, title, detail,
                maxBytes == null ? null : Map.of("maxBytes", maxBytes));
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (Exception e) {
            text = "{\"status\":" + status + "}";
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", Problems.MEDIA_TYPE)
                .putHeader("Connection", "close").end(text);
    }
}
