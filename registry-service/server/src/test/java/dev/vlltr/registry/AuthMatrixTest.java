package dev.vlltr.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.registry.auth.ApiKeyStore;
import dev.vlltr.registry.auth.KeyHash;
import jakarta.inject.Inject;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every endpoint × every role: 401 without or with a bad key, 403 below the endpoint's role, else passes auth. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class AuthMatrixTest {
    record Endpoint(String method, String path, String minRole, String body) {}

    static final List<String> ROLES = List.of("reader", "writer", "admin");

    static List<Endpoint> endpoints(String m) {
        String p = "/api/v1/models/" + m;
        return List.of(
                new Endpoint("GET", "/api/v1/models", "reader", null),
                new Endpoint("POST", "/api/v1/models", "writer", "{}"),
                new Endpoint("GET", p, "reader", null),
                new Endpoint("PATCH", p, "writer", "{\"description\":\"x\"}"),
                new Endpoint("DELETE", p, "admin", null),
                new Endpoint("PUT", p + "/tags/k", "writer", "{\"value\":\"v\"}"),
                new Endpoint("DELETE", p + "/tags/k", "writer", null),
                new Endpoint("GET", p + "/aliases/production", "reader", null),
                new Endpoint("PUT", p + "/aliases/production", "writer", "{\"version\":1}"),
                new Endpoint("DELETE", p + "/aliases/production", "writer", null),
                new Endpoint("GET", p + "/policy", "reader", null),
                new Endpoint("PUT", p + "/policy", "admin", "{}"),
                new Endpoint("GET", p + "/gate?alias=production&version=1", "reader", null),
                new Endpoint("POST", p + "/versions", "writer", "{\"tags\":\"not-a-map\"}"),
                new Endpoint("GET", p + "/versions", "reader", null),
                new Endpoint("GET", "/api/v1/versions", "reader", null),
                new Endpoint("GET", p + "/versions/1", "reader", null),
                new Endpoint("PATCH", p + "/versions/1", "writer", "{\"description\":\"x\"}"),
                new Endpoint("POST", p + "/versions/1/stage", "writer", "{\"stage\":\"Staging\"}"),
                new Endpoint("PUT", p + "/versions/1/tags/k", "writer", "{\"value\":\"v\"}"),
                new Endpoint("DELETE", p + "/versions/1/tags/k", "writer", null),
                new Endpoint("POST", "/api/v1/api-keys", "admin", "{}"),
                new Endpoint("GET", "/api/v1/api-keys", "admin", null),
                new Endpoint("DELETE", "/api/v1/api-keys/no-such-key", "admin", null),
                new Endpoint("GET", "/api/v1/audit", "admin", null),
                new Endpoint("GET", "/api/v1/whoami", "reader", null));
    }

    static Response call(RequestSpecification spec, Endpoint e) {
        if (e.body != null) {
            spec = spec.contentType(ContentType.JSON).body(e.body);
        }
        return spec.request(e.method, e.path);
    }

    @Test
    void everyEndpointTimesEveryRole() {
        String m = Api.model("auth");
        Api.version(m, 0.5, 0.3);
        String etagBefore = Api.etag("/api/v1/models/" + m);
        String versionEtagBefore = Api.etag("/api/v1/models/" + m + "/versions/1");
        List<String> failures = new ArrayList<>();
        for (Endpoint e : endpoints(m)) {
            int none = call(given(), e).statusCode();
            if (none != 401) {
                failures.add(e.method + " " + e.path + " without key: " + none);
            }
            int bad = call(given().header("X-API-Key", "vlr_wrong"), e).statusCode();
            if (bad != 401) {
                failures.add(e.method + " " + e.path + " with a wrong key: " + bad);
            }
            for (String role : ROLES) {
                Response r = call(given().header("X-API-Key", Api.key(role)), e);
                boolean allowed = ROLES.indexOf(role) >= ROLES.indexOf(e.minRole);
                int s = r.statusCode();
                if (allowed && (s == 401 || s == 403 || s >= 500)) {
                    failures.add(e.method + " " + e.path + " as " + role + ": " + s + " (should pass auth)");
                }
                if (!allowed && s != 403) {
                    failures.add(e.method + " " + e.path + " as " + role + ": " + s + " (should be 403)");
                }
                if (!allowed) {
                    assertEquals("application/problem+json", r.contentType());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        // the matrix changed nothing (writes lacked If-Match or a valid body)
        assertEquals(etagBefore, Api.etag("/api/v1/models/" + m));
        assertEquals(versionEtagBefore, Api.etag("/api/v1/models/" + m + "/versions/1"));
    }

    @Test
    void bearerHeaderRevocationAndOpenEndpoints() {
        given().header("Authorization", "Bearer " + Api.key("reader")).get("/api/v1/whoami").then().statusCode(200)
                .body("role", is("reader"));
        String k = Api.newKey("writer");
        given().header("X-API-Key", k).get("/api/v1/whoami").then().statusCode(200).body("role", is("writer"));
        String name = given().header("X-API-Key", k).get("/api/v1/whoami").then().extract().path("name");
        Api.as("admin").delete("/api/v1/api-keys/" + name).then().statusCode(204);
        given().header("X-API-Key", k).get("/api/v1/whoami").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("ApiKey"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Inject
    ApiKeyStore keyStore;

    @Test
    @SuppressWarnings("unchecked")
    void theMatrixCoversEveryOperationOfTheOpenApiDocument() {
        Map<String, Map<String, Object>> paths = given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("paths");
        List<String> missing = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, Map<String, Object>> p : paths.entrySet()) {
            String regex = p.getKey().replaceAll("\\{[^/]+}", "[^/]+");
            for (String method : p.getValue().keySet()) {
                if (!List.of("get", "post", "put", "patch", "delete").contains(method)) {
                    continue;
                }
                operations++;
                boolean covered = endpoints("m").stream().anyMatch(e -> e.method.equalsIgnoreCase(method)
                        && e.path.replaceAll("\\?.*", "").matches(regex));
                if (!covered) {
                    missing.add(method.toUpperCase() + " " + p.getKey());
                }
            }
        }
        assertTrue(operations >= 25, "the document lists the API: " + paths.keySet());
        assertTrue(missing.isEmpty(), "operations missing from the auth matrix: " + missing);
    }

    @Test
    void restartWithANewBootstrapKeyReplacesTheOldOne() {
        String first = "bootstrap-first-" + Api.unique("k");
        String second = "bootstrap-second-" + Api.unique("k");
        keyStore.putBootstrap("rotating-admin", first);
        given().header("X-API-Key", first).get("/api/v1/audit").then().statusCode(200);
        keyStore.putBootstrap("rotating-admin", second);
        given().header("X-API-Key", first).get("/api/v1/whoami").then().statusCode(401);
        given().header("X-API-Key", second).get("/api/v1/whoami").then().statusCode(200)
                .body("role", is("admin")).body("name", is("rotating-admin"));
    }

    @Test
    void keysAreStoredHashedAndNeverLogged() throws Exception {
        String secret = Api.newKey("reader");
        given().header("X-API-Key", secret).get("/api/v1/whoami").then().statusCode(200);
        given().header("X-API-Key", secret + "x").get("/api/v1/whoami").then().statusCode(401);
        try (Connection c = DriverManager.getConnection(EmbeddedPostgresResource.jdbcUrl("postgres"), "postgres",
                "postgres"); ResultSet rs = c.createStatement().executeQuery("select key_hash from api_keys")) {
            List<String> hashes = new ArrayList<>();
            while (rs.next()) {
                hashes.add(rs.getString(1));
            }
            assertTrue(hashes.contains(KeyHash.sha256(secret)));
            assertFalse(hashes.contains(secret));
        }
        Path log = Path.of("target/registry-test.log");
        assertTrue(Files.exists(log), "the test log file exists");
        String text = Files.readString(log);
        for (String key : List.of(secret, Api.key("reader"), Api.key("writer"), Api.key("admin"))) {
            assertFalse(text.contains(key), "an API key appears in the log");
        }
        // API keys list never shows secrets
        String list = Api.as("admin").get("/api/v1/api-keys").then().statusCode(200).extract().asString();
        assertFalse(list.contains(secret));
        assertNotEquals(-1, list.indexOf("\"role\""));
    }
}
