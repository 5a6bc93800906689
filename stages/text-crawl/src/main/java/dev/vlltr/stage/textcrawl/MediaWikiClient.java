package dev.vlltr.stage.textcrawl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A polite client for the MediaWiki Action API (Wikipedia or any MediaWiki): fetches the plain-text extract of an
 * article ({@code action=query&prop=extracts|pageprops&explaintext=1&exsectionformat=wiki&redirects=1}).
 *
 * <ul>
 *   <li>identifies itself with a descriptive User-Agent (required by Wikimedia's policy);</li>
 *   <li>spaces requests at least {@code minInterval} apart (default 1 s) and sends {@code maxlag=5};</li>
 *   <li>retries network errors, HTTP 408/429/500/502/503/504, malformed JSON and the API's {@code maxlag} /
 *       {@code ratelimited} errors with exponential backoff ({@code initialBackoff · 2^attempt}, capped at
 *       {@code maxBackoff}), waiting at least the server's {@code Retry-After} (seconds or HTTP date, capped at
 *       {@code maxRetryAfter}); other HTTP and API errors fail at once;</li>
 *   <li>keeps successful responses in an optional on-disk cache;</li>
 *   <li>follows redirects ({@code redirects=1}, plus HTTP redirects) and reports disambiguation pages
 *       ({@code pageprops.disambiguation}) and missing pages instead of returning their text.</li>
 * </ul>
 */
public final class MediaWikiClient {

    private static final Logger LOG = LoggerFactory.getLogger(MediaWikiClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<Integer> RETRY_STATUS = Set.of(408, 429, 500, 502, 503, 504);
    private static final Set<String> RETRY_API_ERRORS = Set.of("maxlag", "ratelimited", "readonly");

    private final URI apiUrl;
    private final String userAgent;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final Duration timeout;
    private final RateLimiter rateLimiter;
    private final ResponseCache cache;
    private final HttpClient http;
    private long requestsSent;

    private MediaWikiClient(Builder b) {
        this.apiUrl = Objects.requireNonNull(b.apiUrl, "setApiUrl is required");
        if (b.userAgent == null || b.userAgent.isBlank()) {
            throw new IllegalArgumentException("a descriptive User-Agent is required (Wikimedia User-Agent policy), "
                    + "e.g. 'vlltr-text-crawl/0.1 (https://example.org; you@example.org)'");
        }
        this.userAgent = b.userAgent;
        this.maxRetries = b.maxRetries;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.maxRetryAfter = b.maxRetryAfter;
        this.timeout = b.timeout;
        this.rateLimiter = new RateLimiter(b.minInterval);
        this.cache = b.cacheDir == null ? null : new ResponseCache(b.cacheDir);
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(b.timeout).build();
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return HTTP requests sent so far (cache hits send none) */
    public synchronized long requestsSent() {
        return requestsSent;
    }

    /**
     * @param title article title, e.g. {@code "Sandal"}
     * @return the article (or why there is none)
     * @throws MediaWikiException when the API fails for good
     * @throws IOException on cache errors
     * @throws InterruptedException when interrupted while waiting
     */
    public WikiArticle fetchArticle(String title) throws IOException, InterruptedException {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("article title must not be blank");
        }
        String url = apiUrl + (apiUrl.getRawQuery() == null ? "?" : "&")
                + "action=query&format=json&formatversion=2&prop=extracts%7Cpageprops&ppprop=disambiguation"
                + "&explaintext=1&exsectionformat=wiki&redirects=1&maxlag=5&titles="
                + URLEncoder.encode(title, StandardCharsets.UTF_8);
        JsonNode json = getJson(url);
        return parseQuery(title, json, url);
    }

    static WikiArticle parseQuery(String requested, JsonNode json, String url) throws MediaWikiException {
        JsonNode query = json.get("query");
        JsonNode pages = query == null ? null : query.get("pages");
        if (pages == null || pages.isEmpty()) {
            throw new MediaWikiException("unexpected response from " + url + ": no query.pages");
        }
        // formatversion=2 gives an array; version 1 an object keyed by page id
        JsonNode page = pages.isArray() ? pages.get(0) : pages.elements().next();
        String title = page.path("title").asText(requested);
        if (page.has("missing") || page.has("invalid")) {
            return new WikiArticle(requested, title, -1, WikiArticle.Status.MISSING, "");
        }
        long pageId = page.path("pageid").asLong(-1);
        if (page.path("pageprops").has("disambiguation")) {
            return new WikiArticle(requested, title, pageId, WikiArticle.Status.DISAMBIGUATION, "");
        }
        String extract = page.path("extract").asText("");
        if (extract.isBlank()) {
            return new WikiArticle(requested, title, pageId, WikiArticle.Status.EMPTY, "");
        }
        return new WikiArticle(requested, title, pageId, WikiArticle.Status.FOUND, extract);
    }

    private JsonNode getJson(String url) throws IOException, InterruptedException {
        if (cache != null) {
            Optional<String> hit = cache.get(url);
            if (hit.isPresent()) {
                try {
                    return MAPPER.readTree(hit.get());
                } catch (JsonProcessingException e) {
                    LOG.warn("ignoring corrupt cache entry {} for {}", cache.path(url), url);
                }
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("User-Agent", userAgent).header("Accept", "application/json")
                .header("Accept-Encoding", "identity").GET().build();
        String lastError = null;
        Exception lastCause = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            rateLimiter.acquire();
            synchronized (this) {
                requestsSent++;
            }
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastError = "network error: " + e;
                lastCause = e;
                sleepBeforeRetry(attempt, Duration.ZERO, url, lastError);
                continue;
            }
            int status = response.statusCode();
            Duration retryAfter = retryAfter(response);
            if (status == 200) {
                JsonNode json;
                try {
                    json = MAPPER.readTree(response.body());
                } catch (JsonProcessingException e) {
                    lastError = "malformed JSON (" + e.getOriginalMessage() + ")";
                    lastCause = e;
                    sleepBeforeRetry(attempt, retryAfter, url, lastError);
                    continue;
                }
                if (json == null || !json.isObject()) {
                    lastError = "malformed JSON (not an object)";
                    sleepBeforeRetry(attempt, retryAfter, url, lastError);
                    continue;
                }
                JsonNode error = json.get("error");
                if (error != null) {
                    String code = error.path("code").asText("?");
                    String info = error.path("info").asText("");
                    lastError = "API error '" + code + "': " + info;
                    if (RETRY_API_ERRORS.contains(code)) {
                        sleepBeforeRetry(attempt, retryAfter, url, lastError);
                        continue;
                    }
                    throw new MediaWikiException(lastError + " (" + url + ")");
                }
                if (cache != null) {
                    cache.put(url, response.body());
                }
                return json;
            }
            String excerpt = response.body() == null ? "" : response.body().strip();
            excerpt = excerpt.length() > 200 ? excerpt.substring(0, 200) + "..." : excerpt;
            lastError = "HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt);
            if (!RETRY_STATUS.contains(status)) {
                throw new MediaWikiException(lastError + " (" + url + ")");
            }
            sleepBeforeRetry(attempt, retryAfter, url, lastError);
        }
        throw new MediaWikiException("giving up after " + (maxRetries + 1) + " attempts, last: " + lastError + " ("
                + url + ")", lastCause);
    }

    private void sleepBeforeRetry(int attempt, Duration retryAfter, String url, String error)
            throws InterruptedException {
        if (attempt >= maxRetries) {
            return;
        }
        Duration backoff = backoff(attempt);
        Duration wait = retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
        LOG.warn("{} from {}; retry {}/{} in {} ms", error, url, attempt + 1, maxRetries, wait.toMillis());
        Thread.sleep(wait.toMillis());
    }

    /** @return {@code initialBackoff · 2^attempt}, capped at {@code maxBackoff} */
    Duration backoff(int attempt) {
        long ms = initialBackoff.toMillis() << Math.min(attempt, 30);
        return Duration.ofMillis(Math.min(ms < 0 ? Long.MAX_VALUE : ms, maxBackoff.toMillis()));
    }

    private Duration retryAfter(HttpResponse<?> response) {
        Optional<String> h = response.headers().firstValue("Retry-After");
        if (h.isEmpty()) {
            return Duration.ZERO;
        }
        Duration d = parseRetryAfter(h.get().strip());
        return d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d;
    }

    /**
     * @param value a Retry-After header: delay in seconds or an HTTP date
     * @return the delay (zero when unparseable or in the past)
     */
    static Duration parseRetryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return Duration.ZERO;
            }
        }
    }

    /** Builder: {@code setApiUrl} and {@code setUserAgent} are required. */
    public static final class Builder {
        private URI apiUrl;
        private String userAgent;
        private int maxRetries = 5;
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(60);
        private Duration maxRetryAfter = Duration.ofSeconds(120);
        private Duration timeout = Duration.ofSeconds(30);
        private Duration minInterval = Duration.ofSeconds(1);
        private Path cacheDir;

        private Builder() {}

        /** @param url the API endpoint, e.g. {@code https://en.wikipedia.org/w/api.php} @return this */
        public Builder setApiUrl(URI url) {
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
                throw new IllegalArgumentException("MediaWiki API URL must be http(s), got '" + url + "'");
            }
            this.apiUrl = url;
            return this;
        }

        /** @param ua a descriptive User-Agent with contact information @return this */
        public Builder setUserAgent(String ua) {
            this.userAgent = ua;
            return this;
        }

        /** @param n retries after the first attempt (default 5) @return this */
        public Builder optMaxRetries(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, got " + n);
            }
            this.maxRetries = n;
            return this;
        }

        /** @param d first backoff (default 1 s), doubled per retry @return this */
        public Builder optInitialBackoff(Duration d) {
            this.initialBackoff = nonNegative("initialBackoff", d);
            return this;
        }

        /** @param d backoff cap (default 60 s) @return this */
        public Builder optMaxBackoff(Duration d) {
            this.maxBackoff = nonNegative("maxBackoff", d);
            return this;
        }

        /** @param d cap on a server's Retry-After (default 120 s) @return this */
        public Builder optMaxRetryAfter(Duration d) {
            this.maxRetryAfter = nonNegative("maxRetryAfter", d);
            return this;
        }

        /** @param d connect and request timeout (default 30 s) @return this */
        public Builder optTimeout(Duration d) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("timeout must be > 0, got " + d);
            }
            this.timeout = d;
            return this;
        }

        /** @param d minimum time between requests (default 1 s) @return this */
        public Builder optMinInterval(Duration d) {
            this.minInterval = nonNegative("minInterval", d);
            return this;
        }

        /** @param dir on-disk response cache, {@code null} for none @return this */
        public Builder optCacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /** @return the client */
        public MediaWikiClient build() {
            return new MediaWikiClient(this);
        }

        private static Duration nonNegative(String name, Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must be >= 0, got " + d);
            }
            return d;
        }
    }
}
