package dev.vlltr.registry.api;

import dev.vlltr.registry.error.LogSafe;
import dev.vlltr.registry.error.ProblemException;

/**
 * Integer query parameters are taken as text and parsed here: a JAX-RS {@code int} parameter that does not parse
 * makes the request a 404 (as if the resource did not exist), where a client that sent {@code pageSize=ten}
 * deserves a 400 naming the parameter.
 */
final class QueryNumbers {
    static final int MAX_PAGE_SIZE = 1000;

    private QueryNumbers() {}

    /** {@code pageSize}: 1..1000, 50 when absent. */
    static int pageSize(String value) {
        return value == null ? 50 : parse("pageSize", value, 1, MAX_PAGE_SIZE);
    }

    static int parse(String name, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name + ": expected a whole number from " + min + " to " + max
                    + ", got '" + LogSafe.escape(value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'")
                    .with("errors", java.util.List.of(java.util.Map.of("field", name, "message", "not a number")));
        }
        if (n < min || n > max) {
            throw ProblemException.badRequest(name + ": must be from " + min + " to " + max + ", got " + n)
                    .with("errors", java.util.List.of(java.util.Map.of("field", name,
                            "message", "must be from " + min + " to " + max)));
        }
        return n;
    }
}
