package dev.vlltr.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Health (readiness checks the database), Prometheus metrics, OpenAPI document and Swagger UI. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class OperationsTest {

    @Test
    void readinessChecksTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem(containsString("Database")));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void prometheusMetrics() {
        Api.as("reader").get("/api/v1/models").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("registry_mirror_failures_total"));
    }

    @Test
    void openApiAndSwaggerUi() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/v1/models"))
                .body("paths", hasKey("/api/v1/models/{name}/aliases/{alias}"))
                .body("paths", hasKey("/api/v1/versions"))
                .body("components.securitySchemes", hasKey("SecurityScheme"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
