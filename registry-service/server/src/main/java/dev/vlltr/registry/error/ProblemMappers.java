package dev.vlltr.registry.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure to problem+json; unexpected ones are logged (without request headers) and answered as 500. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response r = Problems.response(e);
        // a refused body may still be arriving: close the connection rather than read the rest as a request
        return e.status() == 413 ? Response.fromResponse(r).header("Connection", "close").build() : r;
    }

    /** A ProblemException wrapped by a library on its way up (Jackson wraps what a stream it reads throws). */
    private static ProblemException wrappedProblem(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof ProblemException p) {
                return p;
            }
        }
        return null;
    }

    @ServerExceptionMapper(priority = 1)
    public Response violations(ConstraintViolationException e) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(ProblemMappers::violation)
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .collect(Collectors.toList());
        String detail = errors.stream().map(m -> m.get("field") + ": " + m.get("message"))
                .collect(Collectors.joining("; "));
        return Problems.response(400, "Bad Request", "invalid request: " + detail, Map.of("errors", errors));
    }

    @ServerExceptionMapper(priority = 1)
    public Response validation(ValidationException e) {
        if (e instanceof ConstraintViolationException cve) {
            return violations(cve);
        }
        return Problems.response(400, "Bad Request", e.getMessage(), null);
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e) {
        if (wrappedProblem(e) != null) {
            return problem(wrappedProblem(e));
        }
        String where = "";
        if (e instanceof MismatchedInputException mie && !mie.getPath().isEmpty()) {
            where = " at field '" + mie.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")) + "'";
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String what;
        if (e instanceof UnrecognizedPropertyException upe) {
            what = "unknown field '" + LogSafe.escape(upe.getPropertyName()) + "'";
        } else if (original.startsWith("Trailing token")) {
            what = "unexpected content after the JSON document";
        } else if (e instanceof InvalidFormatException ife && ife.getTargetType() == String.class) {
            what = original; // StrictJson's own message (a NUL character)
        } else if (e instanceof InvalidFormatException ife) {
            what = "value '" + LogSafe.escape(ife.getValue()) + "' is not a valid " + ife.getTargetType().getSimpleName();
        } else if (e instanceof MismatchedInputException mie) {
            what = "wrong JSON type" + (mie.getTargetType() == null ? "" : ", expected "
                    + expected(mie.getTargetType()));
        } else {
            what = "malformed JSON";
        }
        return Problems.response(400, "Bad Request", "request body: " + what + where, null);
    }

    /** The JSON kind a Java target type reads from, for error messages. */
    private static String expected(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response unrecognized(UnrecognizedPropertyException e) {
        return json(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response web(WebApplicationException e) {
        if (wrappedProblem(e) != null) {
            return problem(wrappedProblem(e));
        }
        Response r = e.getResponse();
        int status = r == null ? 500 : r.getStatus();
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return json(jpe);
        }
        Response.StatusType st = Response.Status.fromStatusCode(status);
        return Problems.response(status, st == null ? "Error" : st.getReasonPhrase(), e.getMessage(), null);
    }

    @ServerExceptionMapper(priority = 10)
    public Response unexpected(RuntimeException e) {
        if (wrappedProblem(e) != null) {
            return problem(wrappedProblem(e));
        }
        LOG.error("unexpected error", LogSafe.escaped(e));
        return Problems.response(500, "Internal Server Error", "unexpected server error; see the server log", null);
    }

    private static Map<String, String> violation(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        // drop the method and parameter names ("create.body.name" -> "name")
        String[] parts = path.split("\\.");
        String field = parts.length > 2 ? String.join(".", List.of(parts).subList(2, parts.length)) : path;
        return Map.of("field", field, "message", v.getMessage());
    }
}
