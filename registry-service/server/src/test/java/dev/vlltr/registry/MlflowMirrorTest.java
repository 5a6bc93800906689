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
import org.junit.jupiter.api.Test;

/**
 * Mirror into a real MLflow model registry: while MLflow is down the registry write succeeds and the mirror
 * retries with its error recorded; once MLflow is up the version appears there.
 */
@QuarkusTest
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

    @Test
    void mirrorRetriesUntilMlflowIsUpAndNeverLosesTheWrite() throws Exception {
        boolean required = Boolean.getBoolean("vlltr.requireServers");
        if (!MlflowServerResource.available()) {
            if (required) {
                throw new AssertionError("mlflow not found at " + MlflowServerResource.executable());
            }
            Assumptions.abort("mlflow not installed (" + MlflowServerResource.executable() + "): mirror test skipped");
        }
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
}
