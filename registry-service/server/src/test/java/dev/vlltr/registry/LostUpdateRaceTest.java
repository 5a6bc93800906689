package dev.vlltr.registry;

import static dev.vlltr.registry.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Read-modify-write with If-Match loses no update: 20 writers each add 1 to a counter tag 10 times (GET the
 * model and its ETag, PUT the tag + 1 with If-Match, start over on 412). The ETag of a GET must belong to the
 * body it comes with; when it was read after the body (a newer ETag on an older value), an update was lost.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
class LostUpdateRaceTest {
    static final int WRITERS = 20;
    static final int INCREMENTS = 10;
    /** A bound against a hang, not a measurement (the time grows with the machine's load). */
    static final long DEADLINE_MILLIS = 150_000;

    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    // the JDK client: light enough that 20 client threads leave the CPU to the service under test
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void twentyWritersTimesTenIncrementsWithIfMatchEndAtExactlyTwoHundred() throws Exception {
        String m = Api.model("counter");
        String path = "/api/v1/models/" + m;
        String etag = Api.etag(path);
        as("writer").header("If-Match", etag).body(Map.of("value", "0")).put(path + "/tags/count")
                .then().statusCode(200);
        String reader = Api.key("reader");
        String writer = Api.key("writer");
        long end = System.currentTimeMillis() + DEADLINE_MILLIS;
        AtomicInteger total = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            writers.add(pool.submit(() -> {
                start.await();
                int conflicts = 0;
                int inARow = 0;
                for (int done = 0; done < INCREMENTS; ) {
                    if (System.currentTimeMillis() > end) {
                        throw new AssertionError("deadline passed with " + total.get() + " of "
                                + WRITERS * INCREMENTS + " increments done");
                    }
                    long started = System.nanoTime();
                    HttpResponse<String> read = http.send(HttpRequest.newBuilder(base.resolve(path.substring(1)))
                            .header("X-API-Key", reader).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    int value = Integer.parseInt(JSON.readTree(read.body()).path("tags").path("count").asText());
                    int status = http.send(HttpRequest.newBuilder(base.resolve(path.substring(1) + "/tags/count"))
                            .header("X-API-Key", writer).header("Content-Type", "application/json")
                            .header("If-Match", read.headers().firstValue("ETag").orElseThrow())
                            .timeout(Duration.ofSeconds(30))
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"" + (value + 1) + "\"}")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (status == 200) {
                        done++;
                        total.incrementAndGet();
                        inARow = 0;
                    } else if (status == 412) {
                        conflicts++;
                        // exponential backoff with jitter in units of one round (GET + PUT), so the 20 writers
                        // spread out instead of colliding again; a bound, whatever the machine's speed
                        long round = Math.max(1, (System.nanoTime() - started) / 1_000_000);
                        Thread.sleep(Math.min(2_000, ThreadLocalRandom.current().nextLong(round << Math.min(++inARow, 5))));
                    } else {
                        throw new AssertionError("unexpected status " + status);
                    }
                }
                return conflicts;
            }));
        }
        start.countDown();
        int conflicts = 0;
        for (Future<Integer> f : writers) {
            conflicts += f.get(DEADLINE_MILLIS + 10_000, TimeUnit.MILLISECONDS);
        }
        pool.shutdown();
        String count = as("reader").get(path).then().statusCode(200).extract().path("tags.count");
        assertEquals(Integer.toString(WRITERS * INCREMENTS), count,
                "every acknowledged increment counted (" + conflicts + " retries after 412)");
    }
}
