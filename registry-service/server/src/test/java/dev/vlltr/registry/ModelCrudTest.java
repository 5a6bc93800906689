package dev.vlltr.registry;

import static dev.vlltr.registry.Api.as;
import static dev.vlltr.registry.Api.etag;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ModelCrudTest {
    static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void createGetRenameDelete() {
        String name = Api.unique("crud");
        String etag1 = as("writer").body(Map.of("name", name, "description", "LGR head", "tags", Map.of("team", "vision")))
                .post("/api/v1/models").then().statusCode(201)
                .header("Location", containsString("/api/v1/models/" + name))
                .header("ETag", notNullValue())
                .body("name", is(name)).body("tags.team", is("vision")).body("createdBy", containsString("writer"))
                .extract().header("ETag");
        as("reader").get("/api/v1/models/" + name).then().statusCode(200).header("ETag", is(etag1))
                .body("description", is("LGR head")).body("latestVersion", nullValue());
        // duplicate -> 409 problem
        as("writer").body(Map.of("name", name)).post("/api/v1/models").then().statusCode(409)
                .contentType("application/problem+json").body("status", is(409));

        String renamed = name + "-renamed";
        String etag2 = as("writer").header("If-Match", etag1).body(Map.of("name", renamed))
                .patch("/api/v1/models/" + name).then().statusCode(200).body("name", is(renamed))
                .extract().header("ETag");
        as("reader").get("/api/v1/models/" + name).then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString(name));
        as("admin").header("If-Match", etag2).delete("/api/v1/models/" + renamed).then().statusCode(204);
        as("reader").get("/api/v1/models/" + renamed).then().statusCode(404);
    }

    @Test
    void versionWithLineageAndMetrics() {
        String name = Api.model("lin");
        Map<String, Object> body = Map.of(
                "description", "tau-normalised",
                "lineage", Map.of("pipelineRunId", "dag-42/try-1", "mlflowRunId", "abc123", "codeVersion", "git:deadbeef",
                        "datasetId", "imagenet-lt@v1", "corpusId", "wiki-2026-01"),
                "artifacts", List.of(Map.of("name", "model", "uri", "s3://bucket/model.pt", "sha256", SHA)),
                "metrics", Map.of("overall", Map.of("acc", 0.62, "top5", 0.85),
                        "shots", Map.of("many", Map.of("acc", 0.78), "medium", Map.of("acc", 0.60), "few", Map.of("acc", 0.41)),
                        "perClass", Map.of("n01440764", Map.of("acc", 0.9))),
                "tags", Map.of("method", "tau"));
        as("writer").body(body).post("/api/v1/models/" + name + "/versions").then().statusCode(201)
                .body("version", is(1)).body("stage", is("None"))
                .body("lineage.mlflowRunId", is("abc123")).body("lineage.datasetId", is("imagenet-lt@v1"))
                .body("artifacts[0].sha256", is(SHA))
                .body("metrics.overall.acc", equalTo(0.62f)).body("metrics.shots.few.acc", equalTo(0.41f))
                .body("metrics.perClass.n01440764.acc", equalTo(0.9f))
                .body("mirror.status", is("DISABLED"));
        as("writer").body(Map.of()).post("/api/v1/models/" + name + "/versions").then().statusCode(201)
                .body("version", is(2));
        as("reader").get("/api/v1/models/" + name + "/versions/1").then().statusCode(200)
                .body("tags.method", is("tau")).body("lineage.corpusId", is("wiki-2026-01"));
        as("reader").get("/api/v1/models/" + name).then().body("latestVersion", is(2));
        as("reader").get("/api/v1/models/" + name + "/versions/9").then().statusCode(404)
                .body("detail", containsString("no version 9"));
        as("reader").get("/api/v1/models/" + name + "/versions?orderBy=version").then().statusCode(200)
                .body("items.version", contains(1, 2));
    }

    @Test
    void idempotencyKeyReturnsSameVersion() {
        String name = Api.model("idem");
        int v1 = as("writer").header("Idempotency-Key", "airflow-try-1").body(Map.of())
                .post("/api/v1/models/" + name + "/versions").then().statusCode(201).extract().path("version");
        int v2 = as("writer").header("Idempotency-Key", "airflow-try-1").body(Map.of())
                .post("/api/v1/models/" + name + "/versions").then().statusCode(201).extract().path("version");
        org.junit.jupiter.api.Assertions.assertEquals(v1, v2);
        as("reader").get("/api/v1/models/" + name).then().body("latestVersion", is(v1));
    }

    @Test
    void tagsAndVersionUpdatesNeedIfMatch() {
        String name = Api.model("tags");
        Api.version(name, 0.5, 0.3);
        String path = "/api/v1/models/" + name;
        as("writer").body(Map.of("value", "x")).put(path + "/tags/owner").then().statusCode(428)
                .contentType("application/problem+json");
        String e = etag(path);
        as("writer").header("If-Match", e).body(Map.of("value", "x")).put(path + "/tags/owner").then().statusCode(200)
                .body("tags.owner", is("x"));
        as("writer").header("If-Match", etag(path)).delete(path + "/tags/owner").then().statusCode(200);
        String ve = etag(path + "/versions/1");
        as("writer").header("If-Match", ve).body(Map.of("description", "better"))
                .patch(path + "/versions/1").then().statusCode(200).body("description", is("better"));
        as("writer").header("If-Match", etag(path + "/versions/1")).body(Map.of("value", "y"))
                .put(path + "/versions/1/tags/k").then().statusCode(200).body("tags.k", is("y"));
        as("reader").get("/api/v1/versions?filter=" + "tags.k = 'y' AND model = '" + name + "'").then().statusCode(200)
                .body("items.model", hasItem(name));
    }

    @Test
    void deleteRefusedWhileInUse() {
        String name = Api.model("inuse");
        Api.version(name, 0.5, 0.3);
        String path = "/api/v1/models/" + name;
        as("writer").header("If-Match", etag(path)).body(Map.of("version", 1)).put(path + "/aliases/staging")
                .then().statusCode(200);
        as("admin").header("If-Match", etag(path)).delete(path).then().statusCode(409)
                .body("detail", containsString("staging"));
        as("writer").header("If-Match", etag(path)).delete(path + "/aliases/staging").then().statusCode(204);
        as("admin").header("If-Match", etag(path)).delete(path).then().statusCode(204);
    }
}
