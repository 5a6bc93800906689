package dev.vlltr.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.registry.error.LogSafe;
import dev.vlltr.registry.search.PageCursor;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile input, table-driven: every case is refused with the expected 4xx as problem+json (never a 500), and
 * nothing is written. Covers NUL characters in body fields, map keys, filters, sort, page tokens and audit
 * parameters; timestamps outside what PostgreSQL stores (filters, audit since, page tokens); NaN and infinite
 * policy values; bodies without Content-Type; bad pageSize; numbers and booleans sent for text; trailing content
 * after the JSON document; oversized bodies (declared, huge, and sent without a length), request lines and headers.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class HostileInputTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SHA = "ab".repeat(32);

    @TestHTTPResource("/")
    URI base;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One hostile request and the status it must get. */
    record Case(String name, String method, String path, String body, boolean json, Map<String, String> headers,
                int expected) {}

    static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    List<Case> cases(String m, String modelEtag, String versionEtag) {
        String mp = "/api/v1/models/" + m;
        String vp = mp + "/versions";
        Map<String, String> none = Map.of();
        Map<String, String> modelIfMatch = Map.of("If-Match", modelEtag);
        Map<String, String> versionIfMatch = Map.of("If-Match", versionEtag);
        String nul = "\\u0000";
        String modelsTokenFp = PageCursor.fingerprint("models", "", "created_at", "false");
        String versionsTokenFp = PageCursor.fingerprint("versions", "", "", "created_at", "true");
        List<Case> c = new ArrayList<>(List.of(
                // NUL characters, wherever text enters
                new Case("NUL in model name", "POST", "/api/v1/models", "{\"name\":\"a" + nul + "b\"}", true, none, 400),
                new Case("NUL in description", "POST", "/api/v1/models",
                        "{\"name\":\"ok-nul1\",\"description\":\"x" + nul + "y\"}", true, none, 400),
                new Case("NUL in tag value", "POST", "/api/v1/models",
                        "{\"name\":\"ok-nul2\",\"tags\":{\"k\":\"v" + nul + "\"}}", true, none, 400),
                new Case("NUL in tag key", "POST", "/api/v1/models",
                        "{\"name\":\"ok-nul3\",\"tags\":{\"k" + nul + "\":\"v\"}}", true, none, 400),
                new Case("NUL in version description", "POST", vp, "{\"description\":\"" + nul + "\"}", true, none, 400),
                new Case("NUL in lineage", "POST", vp, "{\"lineage\":{\"pipelineRunId\":\"run" + nul + "\"}}", true,
                        none, 400),
                new Case("NUL in artifact uri", "POST", vp, "{\"artifacts\":[{\"name\":\"a\",\"uri\":\"s3://b/" + nul
                        + "\",\"sha256\":\"" + SHA + "\"}]}", true, none, 400),
                new Case("NUL in per-class key", "POST", vp,
                        "{\"metrics\":{\"perClass\":{\"cls" + nul + "\":{\"acc\":0.5}}}}", true, none, 400),
                new Case("NUL in tag PUT", "PUT", mp + "/tags/k", "{\"value\":\"" + nul + "\"}", true, modelIfMatch, 400),
                new Case("NUL in PATCH", "PATCH", mp, "{\"description\":\"" + nul + "\"}", true, modelIfMatch, 400),
                new Case("NUL in version PATCH", "PATCH", vp + "/1", "{\"description\":\"" + nul + "\"}", true,
                        versionIfMatch, 400),
                new Case("NUL in filter", "GET", "/api/v1/models?filter=" + q("name = 'a\u0000'"), null, false, none, 400),
                new Case("NUL in version filter", "GET", "/api/v1/versions?filter=" + q("tags.k = '\u0000'"), null,
                        false, none, 400),
                new Case("NUL in orderBy", "GET", "/api/v1/models?orderBy=" + q("name\u0000"), null, false, none, 400),
                new Case("NUL in pageToken", "GET", "/api/v1/models?pageToken=" + q("\u0000"), null, false, none, 400),
                new Case("NUL in audit entityKey", "GET", "/api/v1/audit?entityKey=" + q("m\u0000"), null, false, none,
                        400),
                // timestamps PostgreSQL cannot hold (Java reads years up to 999999999)
                new Case("far future in filter", "GET", "/api/v1/models?filter="
                        + q("created_at > '+999999999-12-31T00:00:00Z'"), null, false, none, 400),
                new Case("year 0 in version filter", "GET", "/api/v1/versions?filter="
                        + q("created_at < '0000-06-01T00:00:00Z'"), null, false, none, 400),
                new Case("far future audit since", "GET", "/api/v1/audit?since=" + q("+999999999-12-31T23:59:59Z"),
                        null, false, none, 400),
                new Case("BC audit since", "GET", "/api/v1/audit?since=" + q("-004800-01-01T00:00:00Z"), null, false,
                        none, 400),
                new Case("far future in model page token", "GET", "/api/v1/models?orderBy=created_at&pageToken="
                        + PageCursor.encode("+300000-01-01T00:00:00Z", 1, modelsTokenFp), null, false, none, 400),
                new Case("far future in version page token", "GET", "/api/v1/versions?pageToken="
                        + PageCursor.encode("+300000-01-01T00:00:00Z", 1, versionsTokenFp), null, false, none, 400),
                // policy values that are no numbers
                new Case("NaN as string in policy", "PUT", mp + "/policy", "{\"maxDrop\":{\"acc\":\"NaN\"}}", true,
                        modelIfMatch, 400),
                new Case("Infinity by overflow in policy", "PUT", mp + "/policy", "{\"maxDrop\":{\"acc\":1e400}}", true,
                        modelIfMatch, 400),
                new Case("-Infinity floor in policy", "PUT", mp + "/policy", "{\"minValue\":{\"acc\":-1e400}}", true,
                        modelIfMatch, 400),
                new Case("Infinity as string in policy", "PUT", mp + "/policy", "{\"minValue\":{\"acc\":\"Infinity\"}}",
                        true, modelIfMatch, 400),
                // a body without Content-Type
                new Case("create without Content-Type", "POST", "/api/v1/models", "{\"name\":\"no-ct\"}", false, none,
                        415),
                new Case("tag without Content-Type", "PUT", mp + "/tags/k", "{\"value\":\"v\"}", false, modelIfMatch, 415),
                new Case("version without Content-Type", "POST", vp, "{}", false, none, 415),
                // pageSize and other integer parameters
                new Case("pageSize not a number", "GET", "/api/v1/models?pageSize=abc", null, false, none, 400),
                new Case("pageSize 0", "GET", "/api/v1/models?pageSize=0", null, false, none, 400),
                new Case("pageSize too big", "GET", "/api/v1/versions?pageSize=1001", null, false, none, 400),
                new Case("pageSize negative", "GET", "/api/v1/audit?pageSize=-5", null, false, none, 400),
                new Case("pageSize fraction", "GET", vp + "?pageSize=2.5", null, false, none, 400),
                new Case("pageSize overflow", "GET", "/api/v1/models?pageSize=99999999999", null, false, none, 400),
                new Case("gate version not a number", "GET", mp + "/gate?alias=production&version=abc", null, false,
                        none, 400),
                // no coercion into text fields (or into numbers)
                new Case("number as name", "POST", "/api/v1/models", "{\"name\":1}", true, none, 400),
                new Case("boolean as name", "POST", "/api/v1/models", "{\"name\":true}", true, none, 400),
                new Case("number as description", "PATCH", mp, "{\"description\":5}", true, modelIfMatch, 400),
                new Case("number as tag value", "PUT", mp + "/tags/k", "{\"value\":1}", true, modelIfMatch, 400),
                new Case("number as tag in map", "POST", "/api/v1/models", "{\"name\":\"ok-co\",\"tags\":{\"k\":2}}",
                        true, none, 400),
                new Case("string as alias version", "PUT", mp + "/aliases/staging", "{\"version\":\"1\"}", true,
                        modelIfMatch, 400),
                new Case("fraction as alias version", "PUT", mp + "/aliases/staging", "{\"version\":1.5}", true,
                        modelIfMatch, 400),
                new Case("string as metric", "POST", vp, "{\"metrics\":{\"overall\":{\"acc\":\"0.5\"}}}", true, none, 400),
                new Case("number as role", "POST", "/api/v1/api-keys", "{\"name\":\"ok-role\",\"role\":1}", true, none,
                        400),
                // trailing content after the document
                new Case("two documents", "POST", "/api/v1/models", "{\"name\":\"ok-t1\"} {\"name\":\"ok-t2\"}", true,
                        none, 400),
                new Case("trailing bracket", "POST", "/api/v1/models", "{\"name\":\"ok-t3\"}]", true, none, 400),
                new Case("trailing word", "POST", vp, "{} x", true, none, 400),
                // request line and headers over the limits
                new Case("URI too long", "GET", "/api/v1/models?filter=" + "a".repeat(10_000), null, false, none, 414),
                new Case("URI far too long", "GET", "/api/v1/models?filter=" + "a".repeat(200_000), null, false, none,
                        414),
                new Case("headers too large", "GET", "/api/v1/models", null, false, Map.of("X-Pad", "p".repeat(20_000)),
                        431)));
        return c;
    }

    HttpResponse<String> send(Case c) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(c.path.substring(1)))
                .timeout(Duration.ofSeconds(30)).header("X-API-Key", EmbeddedPostgresResource.ADMIN_KEY)
                .method(c.method, c.body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(c.body));
        if (c.json) {
            b.header("Content-Type", "application/json");
        }
        c.headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyHostileRequestIsRefusedWithItsStatusAsProblemJsonAndChangesNothing() throws Exception {
        String m = Api.model("hostile");
        Api.version(m, 0.5, 0.3);
        String modelEtag = Api.etag("/api/v1/models/" + m);
        String versionEtag = Api.etag("/api/v1/models/" + m + "/versions/1");
        int modelsBefore = countModels();
        List<String> failures = new ArrayList<>();
        for (Case c : cases(m, modelEtag, versionEtag)) {
            HttpResponse<String> r;
            try {
                r = send(c);
            } catch (IOException e) {
                failures.add(c.name + ": no answer (" + e + ")");
                continue;
            }
            String problem = problemFailure(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                    r.body(), c.expected);
            if (problem != null) {
                failures.add(c.name + ": " + problem);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(modelsBefore, countModels(), "no model was created");
        assertEquals(modelEtag, Api.etag("/api/v1/models/" + m), "the model is unchanged");
        assertEquals(versionEtag, Api.etag("/api/v1/models/" + m + "/versions/1"), "the version is unchanged");
        Api.as("reader").get("/api/v1/models/" + m + "/versions/2").then().statusCode(404);
    }

    /** What is wrong with an answer that should be problem+json with {@code expected}, or null. */
    static String problemFailure(int status, String contentType, String body, int expected) {
        if (status != expected) {
            return "status " + status + ", expected " + expected + ": " + shorten(body);
        }
        if (!contentType.startsWith("application/problem+json")) {
            return "Content-Type '" + contentType + "', body " + shorten(body);
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n.path("status").asInt() != expected || n.path("title").asText().isEmpty()) {
                return "problem body without status/title: " + shorten(body);
            }
        } catch (IOException e) {
            return "body is not JSON: " + shorten(body);
        }
        return null;
    }

    static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    int countModels() {
        return Api.as("reader").queryParam("pageSize", 1000).get("/api/v1/models").then().statusCode(200)
                .extract().jsonPath().getList("items").size();
    }

    @Test
    void aReusedIdempotencyKeyWithAnotherBodyGets422AndTheSameBodyTheFirstVersion() {
        String m = Api.model("idem");
        String path = "/api/v1/models/" + m + "/versions";
        int first = Api.as("writer").header("Idempotency-Key", "run-7").body(Map.of("description", "first"))
                .post(path).then().statusCode(201).extract().path("version");
        Api.as("writer").header("Idempotency-Key", "run-7").body(Map.of("description", "first")).post(path)
                .then().statusCode(201).body("version", org.hamcrest.Matchers.is(first));
        Api.as("writer").header("Idempotency-Key", "run-7").body(Map.of("description", "another")).post(path)
                .then().statusCode(422).contentType("application/problem+json")
                .body("version", org.hamcrest.Matchers.is(first));
        // the same content with map keys in another order is the same request
        Map<String, String> tagsAb = new LinkedHashMap<>();
        tagsAb.put("a", "1");
        tagsAb.put("b", "2");
        Map<String, String> tagsBa = new LinkedHashMap<>();
        tagsBa.put("b", "2");
        tagsBa.put("a", "1");
        int tagged = Api.as("writer").header("Idempotency-Key", "run-8").body(Map.of("tags", tagsAb)).post(path)
                .then().statusCode(201).extract().path("version");
        Api.as("writer").header("Idempotency-Key", "run-8").body(Map.of("tags", tagsBa)).post(path)
                .then().statusCode(201).body("version", org.hamcrest.Matchers.is(tagged));
        Api.as("reader").get(path).then().body("items", org.hamcrest.Matchers.hasSize(2));
    }

    @Test
    void oversizedBodiesOfAnySizeGet413ProblemJson() throws Exception {
        for (long declared : new long[] {600_000L, 2_000_000L, 5_000_000_000L}) {
            // headers only: the limit is checked on the declared length, before any body is read
            String answer = raw("POST /api/v1/models HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-API-Key: " + EmbeddedPostgresResource.ADMIN_KEY + "\r\nContent-Length: " + declared
                    + "\r\n\r\n", null);
            assertProblem(answer, 413, "declared " + declared);
        }
        // no length at all: a chunked body of 2 MB is cut off at the HTTP layer's limit
        String answer = raw("POST /api/v1/models HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "X-API-Key: " + EmbeddedPostgresResource.ADMIN_KEY + "\r\nTransfer-Encoding: chunked\r\n\r\n",
                2_000_000);
        assertProblem(answer, 413, "chunked");
    }

    static void assertProblem(String answer, int status, String what) {
        int split = answer.indexOf("\r\n\r\n");
        assertTrue(split > 0, what + ": an HTTP answer: " + shorten(answer));
        String head = answer.substring(0, split).toLowerCase(java.util.Locale.ROOT);
        String body = answer.substring(split + 4);
        assertTrue(head.startsWith("http/1.1 " + status), what + ": " + shorten(answer));
        assertTrue(head.contains("content-type: application/problem+json"), what + ": " + shorten(answer));
        assertTrue(body.contains("\"status\":" + status), what + ": " + shorten(answer));
    }

    /** Sends {@code head} (and {@code chunkedBytes} of chunked body, if not null) on a raw socket; the answer. */
    String raw(String head, Integer chunkedBytes) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            if (chunkedBytes != null) {
                // one JSON document spread over the chunks, so nothing can refuse it before reading it all
                byte[] chunk = "y".repeat(65_000).getBytes(StandardCharsets.US_ASCII);
                try {
                    writeChunk(out, "{\"name\":\"".getBytes(StandardCharsets.US_ASCII));
                    for (int sent = 0; sent < chunkedBytes; sent += chunk.length) {
                        writeChunk(out, chunk);
                    }
                    writeChunk(out, "\"}".getBytes(StandardCharsets.US_ASCII));
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closedEarly) {
                    // the server may answer and close before the whole body is sent; its answer is read below
                }
            }
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                    String text = got.toString(StandardCharsets.UTF_8);
                    int split = text.indexOf("\r\n\r\n");
                    if (split > 0 && text.contains("}")) {
                        break; // a problem body is one small JSON object
                    }
                }
            } catch (IOException reset) {
                // a reset after the answer: keep what arrived
            }
            return got.toString(StandardCharsets.UTF_8);
        }
    }

    static void writeChunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void userSuppliedValuesCannotForgeLogLines() throws Exception {
        assertEquals("a\\u000aFORGED b\\u000d\\u0000 c\\u2028", LogSafe.escape("a\nFORGED b\r\u0000 c\u2028"));
        Throwable escaped = LogSafe.escaped(new IllegalStateException("bad\nFORGED", new RuntimeException("x\ry")));
        assertFalse(escaped.getMessage().contains("\n"));
        assertFalse(escaped.getCause().getMessage().contains("\r"));
        assertTrue(escaped.getStackTrace().length > 0, "the stack trace is kept");
        // values with line breaks sent through the API never start a line of their own in the server log
        Api.as("reader").queryParam("filter", "name = 'x'\nFORGED-LOG-LINE").get("/api/v1/models").then()
                .statusCode(400);
        Api.as("writer").body("{\"name\":\"x\\nFORGED-LOG-LINE\"}").post("/api/v1/models").then().statusCode(400);
        Path log = Path.of("target/registry-test.log");
        assertTrue(Files.exists(log));
        assertFalse(Files.readAllLines(log).stream().anyMatch(l -> l.startsWith("FORGED-LOG-LINE")),
                "a forged line in the server log");
    }
}
