package dev.vlltr.registry;

import static dev.vlltr.registry.Api.as;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.registry.api.AdminResource;
import dev.vlltr.registry.api.ModelsResource;
import dev.vlltr.registry.api.VersionsResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the JAX-RS resources, so neither can drift: the same operations and parameters;
 * one success response per operation, with the status the endpoint really answers (observed by calling each
 * endpoint that builds its own Response) and a concrete schema; every error as problem+json with the Problem
 * schema (412 and 428 wherever If-Match is taken); ETag headers on model and version answers; the API-key
 * security requirement on every operation; and no empty schema anywhere.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class OpenApiContractTest {
    static final List<Class<?>> RESOURCES = List.of(ModelsResource.class, VersionsResource.class, AdminResource.class);

    record JaxRsOperation(String key, Method method, Set<String> parameters) {}

    static String httpMethod(Method m) {
        for (Class<? extends java.lang.annotation.Annotation> a : List.of(GET.class, POST.class, PUT.class,
                PATCH.class, DELETE.class)) {
            if (m.isAnnotationPresent(a)) {
                return a.getSimpleName().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return null;
    }

    /** "get /api/v1/models/{name}" → the resource method, with its parameters as "path:name", "query:filter", ... */
    static Map<String, JaxRsOperation> jaxRsOperations() {
        Map<String, JaxRsOperation> ops = new TreeMap<>();
        for (Class<?> r : RESOURCES) {
            String root = r.getAnnotation(Path.class).value();
            for (Method m : r.getDeclaredMethods()) {
                String verb = httpMethod(m);
                if (verb == null) {
                    continue;
                }
                String path = (root + "/" + m.getAnnotation(Path.class).value()).replaceAll("/+", "/");
                Set<String> params = new TreeSet<>();
                for (Parameter p : m.getParameters()) {
                    if (p.isAnnotationPresent(PathParam.class)) {
                        params.add("path:" + p.getAnnotation(PathParam.class).value());
                    } else if (p.isAnnotationPresent(QueryParam.class)) {
                        params.add("query:" + p.getAnnotation(QueryParam.class).value());
                    } else if (p.isAnnotationPresent(HeaderParam.class)) {
                        params.add("header:" + p.getAnnotation(HeaderParam.class).value());
                    }
                }
                String key = verb + " " + path;
                ops.put(key, new JaxRsOperation(key, m, params));
            }
        }
        return ops;
    }

    static JsonNode document() throws Exception {
        String text = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        return new ObjectMapper().readTree(text);
    }

    @Test
    void theDocumentDescribesExactlyTheResourcesWithConcreteSchemasErrorsHeadersAndSecurity() throws Exception {
        JsonNode doc = document();
        Map<String, JaxRsOperation> code = jaxRsOperations();
        Map<String, JsonNode> documented = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            if (!p.getKey().startsWith("/api/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                documented.put(op.getKey() + " " + p.getKey(), op.getValue());
            }
        }
        assertEquals(code.keySet(), documented.keySet(), "the same operations in code and document");
        assertTrue(code.size() >= 26, "all resources found: " + code.keySet());

        List<String> failures = new ArrayList<>();
        for (JaxRsOperation op : code.values()) {
            JsonNode d = documented.get(op.key());
            Set<String> params = new TreeSet<>();
            d.path("parameters").forEach(p -> params.add(p.path("in").asText() + ":" + p.path("name").asText()));
            if (!params.equals(op.parameters())) {
                failures.add(op.key() + ": parameters " + params + " in the document, " + op.parameters() + " in code");
            }
            boolean securityListed = false;
            for (JsonNode s : d.path("security")) {
                securityListed |= s.has("SecurityScheme");
            }
            if (!securityListed) {
                failures.add(op.key() + ": no API-key security requirement");
            }
            List<String> success = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = d.path("responses").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> r = it.next();
                if (r.getKey().startsWith("2")) {
                    success.add(r.getKey());
                    checkSuccess(op, r.getKey(), r.getValue(), failures);
                } else {
                    JsonNode ref = r.getValue().path("content").path("application/problem+json").path("schema")
                            .path("$ref");
                    if (!ref.asText().endsWith("/Problem")) {
                        failures.add(op.key() + ": error " + r.getKey() + " without the problem+json Problem schema");
                    }
                }
            }
            if (success.size() != 1) {
                failures.add(op.key() + ": success responses " + success + " (expected exactly one)");
            } else if (op.method().getReturnType() != Response.class && !success.get(0).equals("200")) {
                failures.add(op.key() + ": returns an entity, so it answers 200, not " + success.get(0));
            }
            for (String status : List.of("400", "401", "403", "503")) {
                if (!d.path("responses").has(status)) {
                    failures.add(op.key() + ": error " + status + " not documented");
                }
            }
            if (op.parameters().contains("header:If-Match")
                    && !(d.path("responses").has("412") && d.path("responses").has("428"))) {
                failures.add(op.key() + ": takes If-Match but does not document 412 and 428");
            }
            if (d.has("requestBody") && !(d.path("responses").has("413") && d.path("responses").has("415"))) {
                failures.add(op.key() + ": takes a body but does not document 413 and 415");
            }
        }
        JsonNode scheme = doc.path("components").path("securitySchemes").path("SecurityScheme");
        assertEquals("apiKey", scheme.path("type").asText());
        assertEquals("header", scheme.path("in").asText());
        assertEquals("X-API-Key", scheme.path("name").asText());
        List<String> empty = new ArrayList<>();
        findEmptySchemas(doc, "", empty);
        failures.addAll(empty.stream().map(p -> "empty schema {} at " + p).toList());
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The success answer has a concrete schema of the Java type (none for 204) and ETag where it carries one. */
    static void checkSuccess(JaxRsOperation op, String status, JsonNode response, List<String> failures) {
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (status.equals("204")) {
            if (response.has("content")) {
                failures.add(op.key() + ": 204 with content");
            }
            return;
        }
        String ref = schema.path("$ref").asText();
        if (ref.isEmpty() && !schema.has("type")) {
            failures.add(op.key() + ": " + status + " without a concrete schema: " + response);
            return;
        }
        Type type = op.method().getGenericReturnType();
        if (type != Response.class) {
            String expected = schemaName(type);
            String actual = ref.isEmpty() ? schema.path("type").asText() + ":" + schema.path("items").path("$ref")
                    .asText().replaceAll(".*/", "") : ref.replaceAll(".*/", "");
            if (!actual.equals(expected)) {
                failures.add(op.key() + ": schema " + actual + ", the method returns " + expected);
            }
        }
        if ((ref.endsWith("/Model") || ref.endsWith("/Version")) && !response.path("headers").has("ETag")) {
            failures.add(op.key() + ": answers a " + ref + " without documenting its ETag header");
        }
    }

    /** SmallRye's name for a Java type: Model, PageModel (Page&lt;Model&gt;), array:ApiKeyInfo (List&lt;...&gt;). */
    static String schemaName(Type t) {
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            String arg = ((Class<?>) p.getActualTypeArguments()[0]).getSimpleName();
            return List.class.isAssignableFrom(raw) ? "array:" + arg : raw.getSimpleName() + arg;
        }
        return ((Class<?>) t).getSimpleName();
    }

    static void findEmptySchemas(JsonNode n, String path, List<String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                boolean schemaPosition = e.getKey().equals("schema") || e.getKey().equals("items")
                        || e.getKey().equals("additionalProperties") || path.endsWith("/properties")
                        || path.equals("/components/schemas");
                if (schemaPosition && e.getValue().isObject() && e.getValue().isEmpty()) {
                    out.add(path + "/" + e.getKey());
                }
                findEmptySchemas(e.getValue(), path + "/" + e.getKey(), out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                findEmptySchemas(n.get(i), path + "/" + i, out);
            }
        }
    }

    @Test
    void everyEndpointThatBuildsItsOwnResponseAnswersTheDocumentedSuccessStatus() throws Exception {
        JsonNode paths = document().path("paths");
        String m = Api.unique("contract");
        String mp = "/api/v1/models/" + m;
        Map<String, Integer> observed = new TreeMap<>();
        observed.put("post /api/v1/models", as("writer").body(Map.of("name", m)).post("/api/v1/models").statusCode());
        observed.put("get /api/v1/models/{name}", as("reader").get(mp).statusCode());
        observed.put("patch /api/v1/models/{name}", as("writer").header("If-Match", Api.etag(mp))
                .body(Map.of("description", "d")).patch(mp).statusCode());
        observed.put("put /api/v1/models/{name}/tags/{key}", as("writer").header("If-Match", Api.etag(mp))
                .body(Map.of("value", "v")).put(mp + "/tags/k").statusCode());
        observed.put("delete /api/v1/models/{name}/tags/{key}", as("writer").header("If-Match", Api.etag(mp))
                .delete(mp + "/tags/k").statusCode());
        observed.put("post /api/v1/models/{name}/versions", as("writer").body(Map.of()).post(mp + "/versions")
                .statusCode());
        String vp = mp + "/versions/1";
        observed.put("get /api/v1/models/{name}/versions/{version}", as("reader").get(vp).statusCode());
        observed.put("patch /api/v1/models/{name}/versions/{version}", as("writer").header("If-Match", Api.etag(vp))
                .body(Map.of("description", "d")).patch(vp).statusCode());
        observed.put("put /api/v1/models/{name}/versions/{version}/tags/{key}", as("writer")
                .header("If-Match", Api.etag(vp)).body(Map.of("value", "v")).put(vp + "/tags/k").statusCode());
        observed.put("delete /api/v1/models/{name}/versions/{version}/tags/{key}", as("writer")
                .header("If-Match", Api.etag(vp)).delete(vp + "/tags/k").statusCode());
        observed.put("post /api/v1/models/{name}/versions/{version}/stage", as("writer")
                .header("If-Match", Api.etag(vp)).body(Map.of("stage", "Archived")).post(vp + "/stage").statusCode());
        as("writer").header("If-Match", Api.etag(mp)).body(Map.of("version", 1)).put(mp + "/aliases/staging")
                .then().statusCode(200);
        observed.put("delete /api/v1/models/{name}/aliases/{alias}", as("writer").header("If-Match", Api.etag(mp))
                .delete(mp + "/aliases/staging").statusCode());
        observed.put("delete /api/v1/models/{name}", as("admin").header("If-Match", Api.etag(mp)).delete(mp)
                .statusCode());
        String key = Api.unique("contract-key");
        observed.put("post /api/v1/api-keys", as("admin").body(Map.of("name", key, "role", "reader"))
                .post("/api/v1/api-keys").statusCode());
        observed.put("delete /api/v1/api-keys/{name}", as("admin").delete("/api/v1/api-keys/" + key).statusCode());

        Set<String> buildsResponse = new TreeSet<>();
        jaxRsOperations().values().stream().filter(o -> o.method().getReturnType() == Response.class)
                .forEach(o -> buildsResponse.add(o.key()));
        assertEquals(buildsResponse, observed.keySet(), "every operation that builds its own Response was called");
        List<String> failures = new ArrayList<>();
        observed.forEach((op, status) -> {
            String[] verbPath = op.split(" ", 2);
            JsonNode responses = paths.path(verbPath[1]).path(verbPath[0]).path("responses");
            if (!responses.has(Integer.toString(status))) {
                failures.add(op + " answered " + status + "; the document has " + responses.fieldNames().next()
                        + "...");
            }
        });
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
