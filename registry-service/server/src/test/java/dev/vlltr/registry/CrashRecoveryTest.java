package dev.vlltr.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The embedded database keeps what the service acknowledged: kill -9 of the postmaster in the middle of a burst of
 * version registrations loses none of the acknowledged ones and hands no number out twice; the service reconnects
 * once the database is back, without a restart of its own; liveness is DOWN while the embedded postmaster is gone.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithTestResource(DurablePostgres.class)
class CrashRecoveryTest {
    static final int WRITERS = 6;
    /** Bounds of the burst: it never runs longer or registers more than this. */
    static final int MAX_CREATES = 600;
    static final long BURST_MILLIS = 15_000;

    static RequestSpecification admin() {
        return given().header("X-API-Key", EmbeddedPostgresResource.ADMIN_KEY).contentType(ContentType.JSON);
    }

    @Test
    @Order(1)
    void embeddedDatabaseRunsWithFsyncAndSynchronousCommitOn() throws Exception {
        try (Connection c = DriverManager.getConnection(DurablePostgres.jdbcUrl(), "postgres", "postgres")) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = c.createStatement().executeQuery("show " + setting)) {
                    rs.next();
                    assertEquals("on", rs.getString(1), setting);
                }
            }
        }
    }

    @Test
    @Order(2)
    void everyAcknowledgedVersionSurvivesKill9OfThePostmasterAndNoNumberIsReused() throws Exception {
        admin().body(Map.of("name", "crash")).post("/api/v1/models").then().statusCode(201);
        Map<Integer, String> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        long end = System.currentTimeMillis() + BURST_MILLIS;
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                int i = 0;
                // keep writing until a while after the kill, so requests are in flight when it happens
                while (System.currentTimeMillis() < end && sent.incrementAndGet() <= MAX_CREATES) {
                    String description = "writer-" + writer + "-" + i++;
                    var r = admin().header("Idempotency-Key", description).body(Map.of("description", description))
                            .post("/api/v1/models/crash/versions");
                    if (r.statusCode() == 201) {
                        acknowledged.put(r.path("version"), description);
                    } else if (!killed.get()) {
                        throw new AssertionError("write failed before the kill: " + r.statusCode() + r.asString());
                    }
                    if (killed.get() && i % 5 == 0) {
                        return null; // a few requests against the dead database, then stop
                    }
                }
                return null;
            }));
        }
        while (acknowledged.size() < 60 && System.currentTimeMillis() < end) {
            Thread.sleep(20);
        }
        killed.set(true); // from here on, failed writes are expected (and unacknowledged)
        DurablePostgres.killPostmaster();
        int acknowledgedAtKill = acknowledged.size();
        for (Future<?> f : writers) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertTrue(acknowledgedAtKill >= 20, "the burst was under way when the postmaster died: " + acknowledgedAtKill);
        // the embedded postmaster is gone: only a restart helps, so liveness says DOWN
        given().get("/q/health/live").then().statusCode(503).body("status", is("DOWN"));

        DurablePostgres.restart();
        awaitApi();
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));

        Map<Integer, String> stored = new TreeMap<>();
        List<Map<String, Object>> items = admin().queryParam("pageSize", 1000).get("/api/v1/models/crash/versions")
                .then().statusCode(200).extract().path("items");
        for (Map<String, Object> v : items) {
            stored.put((Integer) v.get("version"), (String) v.get("description"));
        }
        for (Map.Entry<Integer, String> a : acknowledged.entrySet()) {
            assertEquals(a.getValue(), stored.get(a.getKey()), "acknowledged version " + a.getKey()
                    + " is stored as registered (" + acknowledged.size() + " acknowledged, " + stored.size() + " stored)");
        }
        int next = admin().body(Map.of("description", "after-restart")).post("/api/v1/models/crash/versions")
                .then().statusCode(201).extract().path("version");
        int highestAcknowledged = acknowledged.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(next > highestAcknowledged, "the next number " + next + " is new (highest acknowledged "
                + highestAcknowledged + ")");
    }

    @Test
    @Order(3)
    void serviceReconnectsWhenTheDatabaseComesBackWithoutARestart() throws Exception {
        admin().body(Map.of("name", "reconnect")).post("/api/v1/models").then().statusCode(201);
        DurablePostgres.stopCleanly();
        admin().get("/api/v1/models/reconnect").then().statusCode(503).contentType("application/problem+json");
        DurablePostgres.restart();
        awaitApi();
        admin().get("/api/v1/models/reconnect").then().statusCode(200).body("name", is("reconnect"));
        admin().body(Map.of("name", "after-reconnect")).post("/api/v1/models").then().statusCode(201);
        given().get("/q/health/ready").then().statusCode(200);
    }

    /** Waits (at most 30 s) until the API answers from the database again. */
    static void awaitApi() throws InterruptedException {
        long end = System.currentTimeMillis() + 30_000;
        int status = 0;
        while (System.currentTimeMillis() < end) {
            status = admin().get("/api/v1/models").statusCode();
            if (status == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not reconnect within 30 s (last status " + status + ")");
    }
}
