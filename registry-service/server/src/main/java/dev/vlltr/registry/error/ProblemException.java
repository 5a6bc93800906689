package dev.vlltr.registry.error;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error answered as RFC 9457 problem+json: HTTP status, short title, human detail and extra members. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public ProblemException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public ProblemException with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    public int status() { return status; }
    public String title() { return title; }
    public Map<String, Object> extensions() { return extensions; }

    public static ProblemException badRequest(String detail) { return new ProblemException(400, "Bad Request", detail); }
    public static ProblemException notFound(String detail) { return new ProblemException(404, "Not Found", detail); }
    public static ProblemException conflict(String detail) { return new ProblemException(409, "Conflict", detail); }
    public static ProblemException preconditionFailed(String detail) {
        return new ProblemException(412, "Precondition Failed", detail);
    }
    public static ProblemException preconditionRequired(String detail) {
        return new ProblemException(428, "Precondition Required", detail);
    }
}
