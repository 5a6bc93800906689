package dev.vlltr.registry.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Client of the model registry REST API ({@code /api/v1}), on {@code java.net.http} and Jackson.
 *
 * <pre>{@code
 * RegistryClient reg = RegistryClient.create(URI.create("http://127.0.0.1:8085"), System.getenv("REGISTRY_API_KEY"));
 * reg.ensureModel("imagenet-lt-lgr", "VL-LTR LGR head");
 * VersionInfo v = reg.registerVersion("imagenet-lt-lgr", VersionRequest.builder()
 *     .optMlflowRunId(runId).addMetric("acc", 0.62).addShotMetric("few", "acc", 0.41).build());
 * reg.setAlias("imagenet-lt-lgr", "staging", v.version());
 * }</pre>
 */
public final class RegistryClient {
    private final URI base;
    private final String apiKey;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private RegistryClient(Builder b) {
        String s = b.baseUri.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.apiKey = b.apiKey;
        this.timeout = b.timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(b.timeout).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Environment variable with the registry's base URL (set by the local runner and the k8s pod specs). */
    public static final String URL_ENV = "VLLTR_REGISTRY_URL";
    /** Environment variable with the API key (role writer or admin to register versions). */
    public static final String KEY_ENV = "VLLTR_REGISTRY_API_KEY";

    /**
     * A client configured from {@value #URL_ENV} and {@value #KEY_ENV}; empty when no registry URL is set
     * (a run without a registry).
     *
     * @throws IllegalArgumentException when the URL is set but the key is not, or the URL is not http(s)
     */
    public static java.util.Optional<RegistryClient> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static java.util.Optional<RegistryClient> fromEnvironment(Map<String, String> env) {
        String url = env.get(URL_ENV);
        if (url == null || url.isBlank()) {
            return java.util.Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL_ENV + ": not a URL: '" + url + "'", e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(URL_ENV + ": expected an http(s) URL such as http://127.0.0.1:8085,"
                    + " got '" + url + "'");
        }
        String key = env.get(KEY_ENV);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(KEY_ENV + " is not set, but " + URL_ENV + " is (" + url
                    + "): set an API key with role writer");
        }
        return java.util.Optional.of(create(uri, key.strip()));
    }

    /** The simple entry point: a client of the registry at {@code baseUrl} using {@code apiKey} (30 s timeout). */
    public static RegistryClient create(URI baseUrl, String apiKey) {
        return builder().setBaseUri(baseUrl).setApiKey(apiKey).build();
    }

    /** Builder: {@code setBaseUri} and {@code setApiKey} are required. */
    public static final class Builder {
        private URI baseUri;
        private String apiKey;
        private Duration timeout = Duration.ofSeconds(30);

        public Builder setBaseUri(URI uri) { this.baseUri = uri; return this; }
        public Builder setApiKey(String key) { this.apiKey = key; return this; }
        public Builder optTimeout(Duration t) { this.timeout = t; return this; }

        public RegistryClient build() {
            Objects.requireNonNull(baseUri, "baseUri: set the registry URL, e.g. http://127.0.0.1:8085");
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey: set an API key with role writer to register versions");
            }
            return new RegistryClient(this);
        }
    }

    /** Creates the model (no description), or returns it when it exists already. */
    public ModelInfo ensureModel(String name) {
        return ensureModel(name, null);
    }

    /** Creates the model, or returns it when it exists already. */
    public ModelInfo ensureModel(String name, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (description != null) {
            body.put("description", description);
        }
        HttpResponse<String> r = send("POST", "api/v1/models", body, Map.of());
        if (r.statusCode() == 409) {
            return getModel(name);
        }
        return read(check(r), ModelInfo.class).withEtag(r.headers().firstValue("ETag").orElse(null));
    }

    public ModelInfo getModel(String name) {
        HttpResponse<String> r = check(send("GET", "api/v1/models/" + enc(name), null, Map.of()));
        return read(r, ModelInfo.class).withEtag(r.headers().firstValue("ETag").orElse(null));
    }

    public VersionInfo registerVersion(String model, VersionRequest request) {
        Map<String, String> headers = request.idempotencyKey() == null ? Map.of()
                : Map.of("Idempotency-Key", request.idempotencyKey());
        HttpResponse<String> r = check(send("POST", "api/v1/models/" + enc(model) + "/versions", request.body(), headers));
        return read(r, VersionInfo.class).withEtag(r.headers().firstValue("ETag").orElse(null));
    }

    public VersionInfo getVersion(String model, int version) {
        HttpResponse<String> r = check(send("GET", "api/v1/models/" + enc(model) + "/versions/" + version, null, Map.of()));
        return read(r, VersionInfo.class).withEtag(r.headers().firstValue("ETag").orElse(null));
    }

    /**
     * Points {@code alias} at {@code version} with the model's current ETag. When another writer changed the
     * model in between (412) it re-reads the ETag and tries again after a short random pause, at most
     * {@value #ALIAS_ATTEMPTS} times. A guarded alias whose gate fails throws {@link RegistryException} with
     * status 409 and the gate's reasons.
     */
    public void setAlias(String model, String alias, int version) {
        for (int attempt = 1; ; attempt++) {
            String etag = getModel(model).etag();
            HttpResponse<String> r = send("PUT", "api/v1/models/" + enc(model) + "/aliases/" + enc(alias),
                    Map.of("version", version), Map.of("If-Match", etag));
            if (r.statusCode() != 412 || attempt == ALIAS_ATTEMPTS) {
                check(r);
                return;
            }
            try {
                Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(20, 50L * attempt + 21));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while retrying setAlias", e);
            }
        }
    }

    /** How often {@link #setAlias} tries when it keeps losing If-Match races. */
    public static final int ALIAS_ATTEMPTS = 8;

    /** The version an alias points at. */
    public int getAlias(String model, String alias) {
        HttpResponse<String> r = check(send("GET", "api/v1/models/" + enc(model) + "/aliases/" + enc(alias), null,
                Map.of()));
        try {
            return json.readTree(r.body()).path("version").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException("unexpected registry answer: " + e.getMessage(), e);
        }
    }

    /** Searches versions, e.g. {@code filter = "metrics.few_acc > 0.4"}, {@code orderBy = "metrics.acc DESC"}. */
    public VersionPage searchVersions(String filter, String orderBy, int pageSize, String pageToken) {
        List<String> q = new ArrayList<>();
        if (filter != null) {
            q.add("filter=" + enc(filter));
        }
        if (orderBy != null) {
            q.add("orderBy=" + enc(orderBy));
        }
        q.add("pageSize=" + pageSize);
        if (pageToken != null) {
            q.add("pageToken=" + enc(pageToken));
        }
        return read(check(send("GET", "api/v1/versions?" + String.join("&", q), null, Map.of())), VersionPage.class);
    }

    private HttpResponse<String> send(String method, String path, Object body, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                    .header("X-API-Key", apiKey).header("Accept", "application/json");
            headers.forEach(b::header);
            if (body != null) {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("registry at " + base + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the registry", e);
        }
    }

    private HttpResponse<String> check(HttpResponse<String> r) {
        if (r.statusCode() / 100 == 2) {
            return r;
        }
        String detail = r.body();
        List<String> reasons = null;
        try {
            JsonNode n = json.readTree(r.body());
            if (n != null && n.has("detail")) {
                detail = n.get("detail").asText();
            }
            if (n != null && n.has("reasons")) {
                reasons = json.convertValue(n.get("reasons"), new TypeReference<List<String>>() {});
            }
        } catch (IOException ignored) {
            // not JSON: keep the raw body
        }
        throw new RegistryException(r.statusCode(), detail, reasons);
    }

    private <T> T read(HttpResponse<String> r, Class<T> type) {
        try {
            return json.readValue(r.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("unexpected registry answer: " + e.getMessage(), e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
