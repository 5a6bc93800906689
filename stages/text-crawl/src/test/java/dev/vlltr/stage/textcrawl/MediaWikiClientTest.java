package dev.vlltr.stage.textcrawl;

import static dev.vlltr.stage.textcrawl.FakeMediaWikiServer.Reply.ok;
import static dev.vlltr.stage.textcrawl.FakeMediaWikiServer.Reply.status;
import static dev.vlltr.stage.textcrawl.FakeMediaWikiServer.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.text.WikiTextCleaner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crawler against a local HTTP server serving MediaWiki-API-shaped fixtures. */
class MediaWikiClientTest {

    private static final String UA = "vlltr-text-crawl-test/0.1 (https://example.org; test@example.org)";

    private FakeMediaWikiServer server;

    @BeforeEach
    void start() throws IOException {
        server = new FakeMediaWikiServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MediaWikiClient.Builder client() {
        return MediaWikiClient.builder().setApiUrl(server.apiUrl()).setUserAgent(UA)
                .optMinInterval(Duration.ZERO).optInitialBackoff(Duration.ofMillis(20)).optMaxRetries(3);
    }

    @Test
    void fetchesPlainTextExtractWithPoliteParameters() throws Exception {
        server.on("sandal", ok("sandal.json"));
        WikiArticle a = client().build().fetchArticle("sandal");
        assertEquals(WikiArticle.Status.FOUND, a.status());
        assertEquals("Sandal", a.title());
        assertEquals(75921, a.pageId());
        assertTrue(a.text().startsWith("A sandal is an open type of shoe"), a.text());

        FakeMediaWikiServer.Request r = server.requests().get(0);
        assertEquals(UA, r.userAgent());
        Map<String, String> p = r.params();
        assertEquals("query", p.get("action"));
        assertEquals("json", p.get("format"));
        assertEquals("extracts|pageprops", p.get("prop"));
        assertEquals("1", p.get("explaintext"));
        assertEquals("1", p.get("redirects"));
        assertEquals("5", p.get("maxlag"));
        assertEquals("sandal", p.get("titles"));

        // the extract has MediaWiki section headers, so VL-LTR's section drop applies as is
        String cleaned = WikiTextCleaner.builder().build().clean(a.text());
        assertTrue(cleaned.contains("Leather, rubber and cork are common."));
        assertTrue(!cleaned.contains("Smith, J.") && !cleaned.contains("Media related"), cleaned);
    }

    @Test
    void followsRedirectsAndReportsDisambiguationAndMissingPages() throws Exception {
        server.on("Pants", ok("pants-redirect.json")).on("Mercury", ok("disambiguation.json"))
                .on("Sneakers", ok("version1.json"));
        MediaWikiClient c = client().build();
        WikiArticle pants = c.fetchArticle("Pants");
        assertEquals("Trousers", pants.title());
        assertEquals(WikiArticle.Status.FOUND, pants.status());
        WikiArticle mercury = c.fetchArticle("Mercury");
        assertEquals(WikiArticle.Status.DISAMBIGUATION, mercury.status());
        assertEquals("", mercury.text());
        WikiArticle missing = c.fetchArticle("Nonexistent page");
        assertEquals(WikiArticle.Status.MISSING, missing.status());
        assertEquals(-1, missing.pageId());
        assertEquals(WikiArticle.Status.FOUND, c.fetchArticle("Sneakers").status()); // formatversion=1 shape
        // an HTTP redirect of the endpoint itself is followed too
        WikiArticle moved = client().setApiUrl(server.movedApiUrl()).build().fetchArticle("Pants");
        assertEquals("Trousers", moved.title());
    }

    @Test
    void honoursRetryAfterOn429() throws Exception {
        server.on("Flaky", status(429, "Too many requests", headers("Retry-After", "1")), ok("sandal.json"));
        long start = System.nanoTime();
        WikiArticle a = client().build().fetchArticle("Flaky");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(WikiArticle.Status.FOUND, a.status());
        assertEquals(2, server.attempts("Flaky"));
        assertTrue(elapsedMs >= 1000, "waited only " + elapsedMs + " ms despite Retry-After: 1");
        List<FakeMediaWikiServer.Request> rs = server.requests();
        assertTrue(rs.get(1).nanoTime() - rs.get(0).nanoTime() >= 1_000_000_000L);
    }

    @Test
    void retriesServerErrorsAndMalformedJsonWithBackoff() throws Exception {
        server.on("Glitchy", ok("malformed.json"), status(503, "", Map.of()), ok("sandal.json"));
        MediaWikiClient c = client().optInitialBackoff(Duration.ofMillis(100)).build();
        assertEquals(WikiArticle.Status.FOUND, c.fetchArticle("Glitchy").status());
        assertEquals(3, server.attempts("Glitchy"));
        List<FakeMediaWikiServer.Request> rs = server.requests();
        long gap1 = (rs.get(1).nanoTime() - rs.get(0).nanoTime()) / 1_000_000;
        long gap2 = (rs.get(2).nanoTime() - rs.get(1).nanoTime()) / 1_000_000;
        assertTrue(gap1 >= 100 && gap2 >= 200, "exponential backoff 100 ms, 200 ms; got " + gap1 + ", " + gap2);
        assertEquals(Duration.ofMillis(100), c.backoff(0));
        assertEquals(Duration.ofMillis(400), c.backoff(2));
        assertEquals(Duration.ofSeconds(60), c.backoff(40));
    }

    @Test
    void retriesADroppedConnection() throws Exception {
        server.on("Dropped", FakeMediaWikiServer.Reply.drop(), FakeMediaWikiServer.Reply.drop(), ok("sandal.json"));
        MediaWikiClient c = client().build();
        assertEquals(WikiArticle.Status.FOUND, c.fetchArticle("Dropped").status());
        // the JDK client silently re-sends an idempotent GET once on a dropped connection; the second drop reaches
        // our retry loop, which sends a second request of its own
        assertEquals(3, server.attempts("Dropped"));
        assertEquals(2, c.requestsSent());
    }

    @Test
    void givesUpOnPersistentMalformedJson() {
        server.on("Broken", ok("malformed.json"));
        MediaWikiException e = assertThrows(MediaWikiException.class, () -> client().build().fetchArticle("Broken"));
        assertTrue(e.getMessage().startsWith("giving up after 4 attempts, last: malformed JSON"), e.getMessage());
        assertEquals(4, server.attempts("Broken"));
    }

    @Test
    void apiMaxlagIsRetriedOtherApiErrorsAndHttpErrorsFailAtOnce() throws Exception {
        server.on("Lagged", ok("maxlag.json"), ok("sandal.json"))
                .on("Bad", ok("api-error.json"))
                .on("Forbidden", status(403, "Forbidden: set a User-Agent", Map.of()));
        MediaWikiClient c = client().build();
        assertEquals(WikiArticle.Status.FOUND, c.fetchArticle("Lagged").status());
        assertEquals(2, server.attempts("Lagged"));
        MediaWikiException bad = assertThrows(MediaWikiException.class, () -> c.fetchArticle("Bad"));
        assertTrue(bad.getMessage().startsWith("API error 'badvalue': Unrecognized value"), bad.getMessage());
        assertEquals(1, server.attempts("Bad"));
        MediaWikiException forbidden = assertThrows(MediaWikiException.class, () -> c.fetchArticle("Forbidden"));
        assertTrue(forbidden.getMessage().startsWith("HTTP 403: Forbidden: set a User-Agent"), forbidden.getMessage());
        assertEquals(1, server.attempts("Forbidden"));
    }

    @Test
    void rateLimitSpacesRequests() throws Exception {
        server.on("A", ok("sandal.json")).on("B", ok("sandal.json")).on("C", ok("sandal.json"))
                .on("D", ok("sandal.json"));
        MediaWikiClient c = client().optMinInterval(Duration.ofMillis(150)).build();
        // the limiter spaces the sends, so 4 requests take at least 3 intervals however fast the server is
        // (timed on the client: server arrival times jitter with connection set-up on a loaded machine)
        long start = System.nanoTime();
        for (String t : List.of("A", "B", "C", "D")) {
            c.fetchArticle(t);
        }
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 450, "4 requests at >= 150 ms spacing took only " + elapsedMs + " ms");
        assertEquals(4, server.requests().size());
    }

    @Test
    void cacheAnswersRepeatedRequestsWithoutNetwork(@TempDir Path cache) throws Exception {
        server.on("sandal", ok("sandal.json")).on("Bad", ok("api-error.json"));
        MediaWikiClient first = client().optCacheDir(cache).build();
        WikiArticle a = first.fetchArticle("sandal");
        assertEquals(1, first.requestsSent());
        MediaWikiClient second = client().optCacheDir(cache).build();
        assertEquals(a, second.fetchArticle("sandal"));
        assertEquals(0, second.requestsSent());
        assertEquals(1, server.attempts("sandal"));
        // errors are not cached
        assertThrows(MediaWikiException.class, () -> second.fetchArticle("Bad"));
        assertThrows(MediaWikiException.class, () -> second.fetchArticle("Bad"));
        assertEquals(2, server.attempts("Bad"));
        Path entry;
        try (Stream<Path> files = Files.walk(cache)) {
            List<Path> json = files.filter(f -> f.toString().endsWith(".json")).toList();
            assertEquals(1, json.size());
            entry = json.get(0);
        }
        // a corrupt cache entry is ignored and replaced by a fresh answer
        Files.writeString(entry, "{\"query\": {trunc");
        MediaWikiClient third = client().optCacheDir(cache).build();
        assertEquals(a, third.fetchArticle("sandal"));
        assertEquals(1, third.requestsSent());
        assertEquals(FakeMediaWikiServer.fixture("sandal.json"), Files.readString(entry));
    }

    @Test
    void unreachableServerFailsAfterRetries() throws Exception {
        java.net.URI dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = java.net.URI.create("http://127.0.0.1:" + s.getLocalPort() + "/w/api.php");
        }
        MediaWikiException e = assertThrows(MediaWikiException.class,
                () -> client().setApiUrl(dead).optMaxRetries(1).build().fetchArticle("Sandal"));
        assertTrue(e.getMessage().contains("network error"), e.getMessage());
    }

    @Test
    void configurationIsValidated() {
        assertThrows(IllegalArgumentException.class,
                () -> MediaWikiClient.builder().setApiUrl(server.apiUrl()).setUserAgent(" ").build());
        assertThrows(IllegalArgumentException.class, () -> MediaWikiClient.builder().setApiUrl(java.net.URI.create("ftp://x/api.php")));
        assertThrows(IllegalArgumentException.class, () -> MediaWikiClient.builder().optMaxRetries(-1));
        assertThrows(IllegalArgumentException.class, () -> client().build().fetchArticle(" "));
    }

    @Test
    void parsesRetryAfterSecondsAndDates() {
        assertEquals(Duration.ofSeconds(7), MediaWikiClient.parseRetryAfter("7"));
        assertEquals(Duration.ZERO, MediaWikiClient.parseRetryAfter("soon"));
        String in30 = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30));
        long s = MediaWikiClient.parseRetryAfter(in30).toSeconds();
        assertTrue(s >= 28 && s <= 30, "Retry-After date in 30 s parsed as " + s + " s");
    }
}
