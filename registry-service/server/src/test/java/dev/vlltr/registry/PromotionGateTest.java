package dev.vlltr.registry;

import static dev.vlltr.registry.Api.as;
import static dev.vlltr.registry.Api.etag;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Promotion gates (409 with reasons), stage transitions, and the audit log of every write. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class PromotionGateTest {

    @Test
    void gateBlocksDropsAndFloorsWithReasons() {
        String m = Api.model("gate");
        String p = "/api/v1/models/" + m;
        as("admin").header("If-Match", etag(p)).body(Map.of("guardedAliases", List.of("production"),
                "maxDrop", Map.of("acc", 0.01, "few_acc", 0.02), "minValue", Map.of("few_acc", 0.2)))
                .put(p + "/policy").then().statusCode(200).body("maxDrop.few_acc", is(0.02f));
        Api.version(m, 0.60, 0.40);   // v1
        Api.version(m, 0.62, 0.35);   // v2: few-shot drops 5 points
        Api.version(m, 0.595, 0.39);  // v3: within both tolerances
        Api.version(m, 0.70, 0.10);   // v4: below the few-shot floor (and drops)
        as("writer").header("If-Match", etag(p)).body(Map.of("version", 1)).put(p + "/aliases/production")
                .then().statusCode(200).body("version", is(1));
        as("writer").header("If-Match", etag(p)).body(Map.of("version", 2)).put(p + "/aliases/production")
                .then().statusCode(409).contentType("application/problem+json")
                .body("title", is("Promotion Blocked"))
                .body("reasons", hasSize(1))
                .body("reasons[0]", containsString("'few_acc' drops by 0.0500 (0.4000 -> 0.3500)"))
                .body("current", is(1)).body("candidate", is(2));
        as("reader").get(p + "/aliases/production").then().body("version", is(1));
        as("reader").get(p + "/gate?alias=production&version=4").then().statusCode(200)
                .body("allowed", is(false)).body("reasons", hasSize(2))
                .body("reasons", hasItem(containsString("below the required minimum 0.2000")));
        as("reader").get(p + "/gate?alias=staging&version=4").then().body("allowed", is(true));
        // unguarded alias: no gate
        as("writer").header("If-Match", etag(p)).body(Map.of("version", 4)).put(p + "/aliases/staging")
                .then().statusCode(200);
        as("writer").header("If-Match", etag(p)).body(Map.of("version", 3)).put(p + "/aliases/production")
                .then().statusCode(200).body("version", is(3));
        // force: writers may not, admins may (audited with the reason)
        as("writer").header("If-Match", etag(p)).body(Map.of("version", 2, "force", true))
                .put(p + "/aliases/production").then().statusCode(403);
        as("admin").header("If-Match", etag(p)).body(Map.of("version", 2, "force", true, "reason", "hotfix"))
                .put(p + "/aliases/production").then().statusCode(200).body("version", is(2));

        as("admin").get("/api/v1/audit?entityType=model&entityKey=" + m + "&action=alias.set").then().statusCode(200)
                .body("items.after.version", contains(2, 3, 4, 1))
                .body("items[0].after.forced", is(true)).body("items[0].after.reason", is("hotfix"))
                .body("items[0].before.version", is(3))
                .body("items[1].actor", containsString("writer"));
    }

    @Test
    void productionStageIsGatedToo() {
        String m = Api.model("stage");
        String p = "/api/v1/models/" + m;
        as("admin").header("If-Match", etag(p)).body(Map.of("maxDrop", Map.of("acc", 0.01)))
                .put(p + "/policy").then().statusCode(200);
        Api.version(m, 0.60, 0.40);
        Api.version(m, 0.50, 0.40);
        Api.version(m, 0.61, 0.40);
        as("writer").header("If-Match", etag(p + "/versions/1")).body(Map.of("stage", "Production"))
                .post(p + "/versions/1/stage").then().statusCode(200).body("stage", is("Production"));
        as("writer").header("If-Match", etag(p + "/versions/2")).body(Map.of("stage", "Production"))
                .post(p + "/versions/2/stage").then().statusCode(409)
                .body("reasons[0]", containsString("'acc' drops by 0.1000"));
        as("writer").header("If-Match", etag(p + "/versions/3"))
                .body(Map.of("stage", "Production", "archiveExisting", true))
                .post(p + "/versions/3/stage").then().statusCode(200);
        as("reader").get(p + "/versions/1").then().body("stage", is("Archived"));
        as("reader").get(p + "/versions/2").then().body("stage", is("None"));
        as("reader").get("/api/v1/versions?filter=stage = 'Production' AND model = '" + m + "'").then()
                .body("items.version", contains(3));
    }

    @Test
    void auditRecordsEveryWriteWithBeforeAndAfter() {
        String m = Api.model("audit");
        String p = "/api/v1/models/" + m;
        as("writer").header("If-Match", etag(p)).body(Map.of("description", "d2")).patch(p).then().statusCode(200);
        Api.version(m, 0.5, 0.3);
        as("writer").header("If-Match", etag(p)).body(Map.of("value", "v")).put(p + "/tags/t").then().statusCode(200);
        as("admin").get("/api/v1/audit?entityType=model&entityKey=" + m).then().statusCode(200)
                .body("items.action", contains("model.tag.set", "model.update", "model.create"))
                .body("items[1].before.description", is("")).body("items[1].after.description", is("d2"))
                .body("items[2].before", org.hamcrest.Matchers.nullValue());
        as("admin").get("/api/v1/audit?entityType=version&entityKey=" + m + "/1").then()
                .body("items.action", contains("version.create"))
                .body("items[0].after.metrics.shots.few.acc", is(0.3f));
        // paging through the audit log
        String token = as("admin").get("/api/v1/audit?pageSize=1").then().statusCode(200)
                .body("items", hasSize(1)).extract().path("nextPageToken");
        as("admin").get("/api/v1/audit?pageSize=1&pageToken=" + token).then().statusCode(200).body("items", hasSize(1));
        as("admin").get("/api/v1/audit?since=yesterday").then().statusCode(400);
    }
}
