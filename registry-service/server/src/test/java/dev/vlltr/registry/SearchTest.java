package dev.vlltr.registry;

import static dev.vlltr.registry.Api.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Search filters on name, tags and metrics; sort; cursor pagination that stays stable under inserts. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class SearchTest {

    @Test
    void filtersOnNameTagsAndMetrics() {
        String prefix = Api.unique("srch");
        for (String suffix : List.of("a", "b", "c")) {
            as("writer").body(Map.of("name", prefix + "-" + suffix, "tags",
                    Map.of("team", suffix.equals("c") ? "nlp" : "vision"))).post("/api/v1/models").then().statusCode(201);
        }
        as("reader").queryParam("filter", "name LIKE '" + prefix + "%' AND tags.team = 'vision'")
                .get("/api/v1/models").then().statusCode(200)
                .body("items.name", contains(prefix + "-a", prefix + "-b"));
        as("reader").queryParam("filter", "name LIKE '" + prefix + "%' AND (tags.team = 'nlp' OR name = '"
                + prefix + "-a')").queryParam("orderBy", "name DESC")
                .get("/api/v1/models").then().statusCode(200)
                .body("items.name", contains(prefix + "-c", prefix + "-a"));

        String m = prefix + "-a";
        Api.version(m, 0.60, 0.45);
        Api.version(m, 0.70, 0.35);
        Api.version(m, 0.65, 0.41);
        as("reader").queryParam("filter", "model = '" + m + "' AND metrics.few_acc > 0.4")
                .queryParam("orderBy", "metrics.few_acc DESC")
                .get("/api/v1/versions").then().statusCode(200).body("items.version", contains(1, 3));
        as("reader").queryParam("filter", "metrics.acc >= 0.65 and metrics.many_acc < 0.79")
                .get("/api/v1/models/" + m + "/versions").then().statusCode(200).body("items.version", contains(3));
        as("reader").queryParam("orderBy", "metrics.acc DESC").get("/api/v1/models/" + m + "/versions")
                .then().body("items.version", contains(2, 3, 1));
        as("reader").queryParam("filter", "metrics.acc > 0.99").get("/api/v1/models/" + m + "/versions")
                .then().body("items", empty());
    }

    @Test
    void badFiltersAre400WithPosition() {
        for (String f : List.of("name = ", "nosuch = 'x'", "metrics.acc > 'high'", "name > 3", "(name = 'a'",
                "name = 'a' extra", "name ~ 'a'", "metrics.acc LIKE 0.5", "name = 'unterminated")) {
            as("reader").queryParam("filter", f).get("/api/v1/versions").then().statusCode(400)
                    .contentType("application/problem+json");
        }
        as("reader").queryParam("filter", "nosuch = 'x'").get("/api/v1/models").then().statusCode(400)
                .body("detail", containsString("unknown field 'nosuch' at position 0"));
        as("reader").queryParam("orderBy", "name; drop table x").get("/api/v1/models").then().statusCode(400);
        as("reader").queryParam("pageSize", 5000).get("/api/v1/models").then().statusCode(400);
        as("reader").queryParam("pageToken", "garbage!").get("/api/v1/models").then().statusCode(400);
    }

    @Test
    void paginationIsStableWhileRowsAreInserted() {
        String prefix = Api.unique("page");
        Set<String> originals = new HashSet<>();
        for (int i = 0; i < 23; i++) {
            String n = prefix + "-" + String.format("%02d", i);
            as("writer").body(Map.of("name", n)).post("/api/v1/models").then().statusCode(201);
            originals.add(n);
        }
        for (String order : List.of("name", "name DESC", "created_at", "created_at DESC", "updated_at")) {
            List<String> seen = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                var req = as("reader").queryParam("filter", "name LIKE '" + prefix + "%'")
                        .queryParam("orderBy", order).queryParam("pageSize", 5);
                if (token != null) {
                    req = req.queryParam("pageToken", token);
                }
                JsonPath page = req.get("/api/v1/models").then().statusCode(200).extract().jsonPath();
                seen.addAll(page.getList("items.name"));
                token = page.getString("nextPageToken");
                // concurrent inserts between pages must not cause duplicates or skips
                as("writer").body(Map.of("name", prefix + "-x" + order.replace(' ', '_').toLowerCase() + pages))
                        .post("/api/v1/models").then().statusCode(201);
                pages++;
            } while (token != null && pages < 50);
            assertEquals(seen.size(), new HashSet<>(seen).size(), "no duplicates with orderBy " + order + ": " + seen);
            assertTrue(seen.containsAll(originals), "every original row seen with orderBy " + order);
        }
        // a token is bound to its query
        String token = as("reader").queryParam("filter", "name LIKE '" + prefix + "%'").queryParam("pageSize", 2)
                .get("/api/v1/models").then().extract().path("nextPageToken");
        as("reader").queryParam("filter", "name LIKE 'other%'").queryParam("pageSize", 2).queryParam("pageToken", token)
                .get("/api/v1/models").then().statusCode(400).body("detail", containsString("pageToken"));
    }

    @Test
    void versionPagesByMetricWithTiesAndMissingValuesMatchOneBigPage() {
        String m = Api.model("vpage");
        // few_acc: ties (0.3 three times, 0.5 twice) and two versions without the metric at all
        double[] few = {0.3, 0.5, 0.3, Double.NaN, 0.1, 0.5, 0.3, Double.NaN, 0.7};
        for (double f : few) {
            Map<String, Object> metrics = Double.isNaN(f) ? Map.of("overall", Map.of("acc", 0.5))
                    : Map.of("overall", Map.of("acc", 0.5), "shots", Map.of("few", Map.of("acc", f)));
            as("writer").body(Map.of("metrics", metrics)).post("/api/v1/models/" + m + "/versions").then()
                    .statusCode(201);
        }
        for (String order : List.of("metrics.few_acc DESC", "metrics.few_acc ASC", "version DESC", "created_at")) {
            List<Integer> all = as("reader").queryParam("orderBy", order).queryParam("pageSize", 100)
                    .get("/api/v1/models/" + m + "/versions").then().statusCode(200).extract().jsonPath()
                    .getList("items.version", Integer.class);
            assertEquals(few.length, all.size());
            List<Integer> paged = new ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                var req = as("reader").queryParam("orderBy", order).queryParam("pageSize", 2);
                if (token != null) {
                    req = req.queryParam("pageToken", token);
                }
                JsonPath page = req.get("/api/v1/models/" + m + "/versions").then().statusCode(200).extract().jsonPath();
                paged.addAll(page.getList("items.version", Integer.class));
                token = page.getString("nextPageToken");
                pages++;
            } while (token != null && pages < 20);
            assertEquals(all, paged, "pages of 2 concatenate to the single page for orderBy " + order);
        }
        // the order itself: by few_acc descending, ties by creation (id) descending, missing values last
        as("reader").queryParam("orderBy", "metrics.few_acc DESC").get("/api/v1/models/" + m + "/versions").then()
                .body("items.version", contains(9, 6, 2, 7, 3, 1, 5, 8, 4));
    }

    @Test
    void sqlInjectionAttemptsChangeNothing() {
        String m = Api.model("inj");
        int before = as("reader").queryParam("pageSize", 1000).get("/api/v1/models").then().extract()
                .jsonPath().getList("items").size();
        // quotes inside a literal are data, never SQL
        as("reader").queryParam("filter", "name = 'x'' OR ''1''=''1'").get("/api/v1/models").then().statusCode(200)
                .body("items", empty());
        as("reader").queryParam("filter", "name = 'x'; drop table registered_models; --'").get("/api/v1/models")
                .then().statusCode(400);
        as("reader").queryParam("filter", "name = 'x' OR 1=1").get("/api/v1/models").then().statusCode(400);
        as("reader").queryParam("filter", "tags.`x' or 1=1 --` = 'y'").get("/api/v1/models").then().statusCode(400);
        as("reader").queryParam("filter", "metrics.acc > 0 OR metrics.acc < 0); delete from model_versions; --")
                .get("/api/v1/versions").then().statusCode(400);
        as("writer").body(Map.of("name", "x'; drop table registered_models; --")).post("/api/v1/models").then()
                .statusCode(400).body("detail", containsString("name"));
        as("reader").get("/api/v1/models/x';%20drop%20table%20registered_models;--").then().statusCode(400);
        as("writer").body(Map.of("value", "'); delete from model_tags; --")).header("If-Match", Api.etag("/api/v1/models/" + m))
                .put("/api/v1/models/" + m + "/tags/safe").then().statusCode(200)
                .body("tags.safe", is("'); delete from model_tags; --"));
        int after = as("reader").queryParam("pageSize", 1000).get("/api/v1/models").then().extract()
                .jsonPath().getList("items").size();
        assertEquals(before, after, "no model added or removed");
        as("reader").get("/api/v1/models/" + m).then().statusCode(200);
    }

    @Test
    void oversizedAndMalformedPayloadsAre4xxAndChangeNothing() {
        String m = Api.model("payload");
        String path = "/api/v1/models/" + m + "/versions";
        String big = "{\"description\":\"" + "x".repeat(600 * 1024) + "\"}";
        as("writer").body(big).post(path).then().statusCode(413).contentType("application/problem+json")
                .body("maxBytes", is(512 * 1024));
        // even a reader's (unauthorised) oversized write is refused by size first, without reading it
        as("reader").body(big).post("/api/v1/models").then().statusCode(413);
        as("writer").body("{\"description\": ").post(path).then().statusCode(400).contentType("application/problem+json");
        as("writer").body("{\"nope\": 1}").post(path).then().statusCode(400).body("detail", containsString("nope"));
        as("writer").body("{\"metrics\": {\"overall\": {\"acc\": \"high\"}}}").post(path).then().statusCode(400);
        as("writer").body("{\"metrics\": {\"shots\": {\"rare\": {\"acc\": 0.1}}}}").post(path).then().statusCode(400)
                .body("detail", containsString("many, medium or few"));
        as("writer").body("{\"metrics\": {\"overall\": {\"few_acc\": 0.1}}}").post(path).then().statusCode(400);
        as("writer").body(Map.of("artifacts", List.of(Map.of("name", "m", "uri", "s3://b/m", "sha256", "ABC"))))
                .post(path).then().statusCode(400).body("detail", containsString("sha256"));
        as("writer").body(Map.of("description", "x".repeat(5001))).post(path).then().statusCode(400);
        as("writer").body(Map.of("lineage", Map.of("mlflowRunId", "bad id!"))).post(path).then().statusCode(400);
        as("writer").contentType("text/plain").body("hello").post(path).then().statusCode(415);
        as("writer").body("[1,2]").post(path).then().statusCode(400);
        as("reader").get(path).then().statusCode(200).body("items", empty());
        as("reader").get("/api/v1/models/" + m).then().body("latestVersion", org.hamcrest.Matchers.nullValue());
    }
}
