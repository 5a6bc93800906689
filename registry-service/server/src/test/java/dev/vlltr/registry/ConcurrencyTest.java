package dev.vlltr.registry;

import static dev.vlltr.registry.Api.as;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Optimistic concurrency: ETag on reads, If-Match on writes, 412 for the loser of a race. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class ConcurrencyTest {

    @Test
    void twoWritersPromoteConcurrentlyOneWinsOtherGets412() throws Exception {
        for (int round = 0; round < 3; round++) {
            String m = Api.model("race");
            Api.version(m, 0.5, 0.3);
            Api.version(m, 0.6, 0.4);
            String etag = Api.etag("/api/v1/models/" + m);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<int[]>> results = new ArrayList<>();
            for (int v = 1; v <= 2; v++) {
                int version = v;
                Callable<int[]> writer = () -> {
                    start.await();
                    int s = as("writer").header("If-Match", etag).body(Map.of("version", version))
                            .put("/api/v1/models/" + m + "/aliases/production").statusCode();
                    return new int[] {s, version};
                };
                results.add(pool.submit(writer));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            int winner = -1;
            for (Future<int[]> f : results) {
                int[] r = f.get();
                statuses.add(r[0]);
                if (r[0] == 200) {
                    winner = r[1];
                }
            }
            pool.shutdown();
            Collections.sort(statuses);
            assertEquals(List.of(200, 412), statuses, "one write wins, the other gets 412");
            as("reader").get("/api/v1/models/" + m + "/aliases/production").then().statusCode(200)
                    .body("version", is(winner));
        }
    }

    @Test
    void staleEtagGets412AndMissingGets428() {
        String m = Api.model("stale");
        String path = "/api/v1/models/" + m;
        String old = Api.etag(path);
        as("writer").header("If-Match", old).body(Map.of("description", "first")).patch(path).then().statusCode(200);
        as("writer").header("If-Match", old).body(Map.of("description", "second")).patch(path).then().statusCode(412)
                .contentType("application/problem+json").body("currentEtag", notNullValue());
        as("writer").body(Map.of("description", "third")).patch(path).then().statusCode(428);
        as("reader").get(path).then().body("description", is("first"));
    }

    @Test
    void concurrentVersionCreatesGetDistinctNumbers() throws Exception {
        String m = Api.model("numbering");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            fs.add(pool.submit(() -> {
                start.await();
                return as("writer").body(Map.of()).post("/api/v1/models/" + m + "/versions").then().statusCode(201)
                        .extract().<Integer>path("version");
            }));
        }
        start.countDown();
        TreeSet<Integer> got = new TreeSet<>();
        for (Future<Integer> f : fs) {
            got.add(f.get());
        }
        pool.shutdown();
        assertEquals(new TreeSet<>(List.of(1, 2, 3, 4, 5, 6)), got);
    }
}
