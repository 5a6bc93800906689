package dev.vlltr.registry;

import static dev.vlltr.registry.Api.as;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Mirror into a real MLflow model registry: while MLflow is down the registry write succeeds and the mirror
 * retries with its error recorded; once MLflow is up the version appears there.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(MlflowServerResource.class)
class MlflowMirrorTest {

    static JsonPath waitFor(String path, Predicate<JsonPath> done, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        JsonPath last = null;
        while (System.currentTimeMillis() < end) {
            last = as("reader").get(path).then().statusCode(200).extract().jsonPath();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting on " + path + ": " + (last == null ? null : last.prettify()));
    }

    static void requireMlflow() {
        boolean required = Boolean.getBoolean("vlltr.requireServers");
        if (!MlflowServerResource.available()) {
            if (required) {
                throw new AssertionError("mlflow not found at " + MlflowServerResource.executable());
            }
            Assumptions.abort("mlflow not installed (" + MlflowServerResource.executable() + "): mirror test skipped");
        }
    }

    @Test
    @Order(1) // watches the mirror fail while MLflow is not started yet
    void mirrorRetriesUntilMlflowIsUpAndNeverLosesTheWrite() throws Exception {
        requireMlflow();
        String m = Api.model("mirror");
        String path = "/api/v1/models/" + m + "/versions";
        as("writer").body(Map.of("description", "mirrored", "artifacts",
                List.of(Map.of("name", "model", "uri", "s3://bucket/" + m + "/model.pt", "sha256", "cd".repeat(32)))))
                .post(path).then().statusCode(201).body("mirror.status", is("PENDING"));
        // MLflow is not running yet: the write stays, the mirror records failures and keeps retrying
        JsonPath failing = waitFor(path + "/1", j -> j.getInt("mirror.attempts") >= 2, 30_000);
        assertEquals("PENDING", failing.getString("mirror.status"));
        assertTrue(failing.getString("mirror.error").contains("ConnectException")
                || failing.getString("mirror.error").contains("IOException"), failing.getString("mirror.error"));
        as("reader").queryParam("filter", "model = '" + m + "' AND mirror_status = 'PENDING'")
                .get("/api/v1/versions").then().body("items.version", org.hamcrest.Matchers.contains(1));

        MlflowServerResource.startServer();
        JsonPath done = waitFor(path + "/1", j -> "MIRRORED".equals(j.getString("mirror.status")), 60_000);
        String mlflowVersion = done.getString("mirror.mlflowVersion");

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                MlflowServerResource.uri() + "/api/2.0/mlflow/model-versions/get?name=" + m + "&version="
                        + mlflowVersion)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode mv = new ObjectMapper().readTree(r.body()).path("model_version");
        assertEquals("s3://bucket/" + m + "/model.pt", mv.path("source").asText());
        assertEquals("mirrored", mv.path("description").asText());
        boolean tagged = false;
        for (JsonNode t : mv.path("tags")) {
            tagged |= t.path("key").asText().equals("vlltr.registry.version") && t.path("value").asText().equals("1");
        }
        assertTrue(tagged, "MLflow version tagged with the registry version: " + mv);

        // a second version goes straight through now
        as("writer").body(Map.of()).post(path).then().statusCode(201);
        waitFor(path + "/2", j -> "MIRRORED".equals(j.getString("mirror.status")), 30_000);

        // the registry forgot that version 1 was mirrored (as after a crash between MLflow's answer and the
        // registry's update): the retry finds the tagged MLflow version instead of creating a duplicate
        try (Connection c = DriverManager.getConnection(EmbeddedPostgresResource.jdbcUrl("postgres"), "postgres",
                "postgres"); PreparedStatement ps = c.prepareStatement("update model_versions set mirror_status ="
                + " 'PENDING', mirror_version = null, mirror_next_at = now() where version = 1 and model_id ="
                + " (select id from registered_models where name = ?)")) {
            ps.setString(1, m);
            assertEquals(1, ps.executeUpdate());
        }
        JsonPath again = waitFor(path + "/1", j -> "MIRRORED".equals(j.getString("mirror.status")), 30_000);
        assertEquals(mlflowVersion, again.getString("mirror.mlflowVersion"));
        HttpResponse<String> all = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                MlflowServerResource.uri() + "/api/2.0/mlflow/model-versions/search?filter="
                        + URLEncoder.encode("name='" + m + "'", StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(2, new ObjectMapper().readTree(all.body()).path("model_versions").size(),
                "MLflow holds exactly the two mirrored versions: " + all.body());
    }

    /** MLflow's answer to registered-models/alias GET: the version the alias names there, or null when none. */
    static String mlflowAlias(String model, String alias) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                MlflowServerResource.uri() + "/api/2.0/mlflow/registered-models/alias?name=" + model + "&alias="
                        + alias)).build(), HttpResponse.BodyHandlers.ofString());
        // MLflow answers a missing alias with 400 INVALID_PARAMETER_VALUE "... alias <name> not found."
        if (r.statusCode() == 404 || (r.statusCode() == 400 && r.body().contains("alias " + alias + " not found"))) {
            return null;
        }
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body()).path("model_version").path("version").asText();
    }

    static String awaitMlflowAlias(String model, String alias, String expected, long millis) throws Exception {
        long end = System.currentTimeMillis() + millis;
        String last = null;
        while (System.currentTimeMillis() < end) {
            last = mlflowAlias(model, alias);
            if (java.util.Objects.equals(expected, last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("MLflow alias " + model + "@" + alias + " is " + last + ", expected " + expected);
    }

    @Test
    @Order(2)
    void aliasesAreMirroredSetMovedAndDeleted() throws Exception {
        requireMlflow();
        MlflowServerResource.startServer();
        String m = Api.model("alias-mirror");
        String path = "/api/v1/models/" + m;
        Api.version(m, 0.5, 0.3);
        Api.version(m, 0.6, 0.4);
        // set right after registration: the alias waits until its version is in MLflow, then follows
        as("writer").header("If-Match", Api.etag(path)).body(Map.of("version", 1)).put(path + "/aliases/champion")
                .then().statusCode(200);
        String v1 = waitFor(path + "/versions/1", j -> "MIRRORED".equals(j.getString("mirror.status")), 60_000)
                .getString("mirror.mlflowVersion");
        awaitMlflowAlias(m, "champion", v1, 30_000);
        // moved to version 2
        as("writer").header("If-Match", Api.etag(path)).body(Map.of("version", 2)).put(path + "/aliases/champion")
                .then().statusCode(200);
        String v2 = waitFor(path + "/versions/2", j -> "MIRRORED".equals(j.getString("mirror.status")), 60_000)
                .getString("mirror.mlflowVersion");
        assertTrue(!v1.equals(v2), "two MLflow versions");
        awaitMlflowAlias(m, "champion", v2, 30_000);
        // deleted
        as("writer").header("If-Match", Api.etag(path)).delete(path + "/aliases/champion").then().statusCode(204);
        awaitMlflowAlias(m, "champion", null, 30_000);
        // the worker deletes its job row after MLflow has answered, so the row may outlive MLflow's change briefly
        long end = System.currentTimeMillis() + 10_000;
        int jobs;
        while ((jobs = aliasJobs(m)) > 0 && System.currentTimeMillis() < end) {
            Thread.sleep(100);
        }
        assertEquals(0, jobs, "no alias job left once MLflow matches");
    }

    /** The alias-mirror job rows of one model, read from the registry's database. */
    static int aliasJobs(String model) throws Exception {
        try (Connection c = DriverManager.getConnection(EmbeddedPostgresResource.jdbcUrl("postgres"), "postgres",
                "postgres"); PreparedStatement ps = c.prepareStatement("select count(*) from alias_mirror_jobs j"
                + " join registered_models m on m.id = j.model_id where m.name = ?")) {
            ps.setString(1, model);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
