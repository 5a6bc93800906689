package dev.vlltr.registry;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Test helpers: keys of each role (created once through the admin API) and request specs. */
public final class Api {
    private static String readerKey;
    private static String writerKey;

    private Api() {}

    public static synchronized String key(String role) {
        if (role.equals("admin")) {
            return EmbeddedPostgresResource.ADMIN_KEY;
        }
        if (readerKey == null) {
            readerKey = newKey("reader");
            writerKey = newKey("writer");
        }
        return role.equals("reader") ? readerKey : writerKey;
    }

    public static String newKey(String role) {
        return given().header("X-API-Key", EmbeddedPostgresResource.ADMIN_KEY).contentType(ContentType.JSON)
                .body(Map.of("name", role + "-" + UUID.randomUUID().toString().substring(0, 8), "role", role))
                .post("/api/v1/api-keys").then().statusCode(201).extract().path("key");
    }

    public static RequestSpecification as(String role) {
        return given().header("X-API-Key", key(role)).contentType(ContentType.JSON);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a model as writer and returns its name. */
    public static String model(String prefix) {
        String name = unique(prefix);
        as("writer").body(Map.of("name", name)).post("/api/v1/models").then().statusCode(201);
        return name;
    }

    /** Registers a version with the given overall and few-shot accuracy; returns its number. */
    public static int version(String model, double acc, double fewAcc) {
        Map<String, Object> metrics = Map.of(
                "overall", Map.of("acc", acc),
                "shots", Map.of("many", Map.of("acc", acc + 0.1), "medium", Map.of("acc", acc), "few",
                        Map.of("acc", fewAcc)));
        return as("writer").body(Map.of("metrics", metrics)).post("/api/v1/models/" + model + "/versions")
                .then().statusCode(201).extract().path("version");
    }

    public static String etag(String path) {
        return as("reader").get(path).then().statusCode(200).extract().header("ETag");
    }
}
