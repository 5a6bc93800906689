package dev.vlltr.registry.error;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds problem+json responses (RFC 9457). */
public final class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    public static Response response(int status, String title, String detail, Map<String, Object> extensions) {
        return Response.status(status).type(MEDIA_TYPE).entity(body(status, title, detail, extensions)).build();
    }

    /** The problem document: type, title, status, detail and the extension members. */
    public static Map<String, Object> body(int status, String title, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (extensions != null) {
            body.putAll(extensions);
        }
        return body;
    }

    public static Response response(ProblemException e) {
        return response(e.status(), e.title(), e.getMessage(), e.extensions());
    }
}
