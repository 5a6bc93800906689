package dev.vlltr.runtime.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads an MLflow server back through its REST API, independently of the code under test. */
final class MlflowRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    MlflowRest(String base) {
        this.base = base;
    }

    JsonNode get(String path, Map<String, String> query) throws IOException, InterruptedException {
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + path + q))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + q + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/2.0/mlflow/" + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    JsonNode run(String runId) throws IOException, InterruptedException {
        return get("runs/get", Map.of("run_id", runId)).get("run");
    }

    static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> m = new LinkedHashMap<>();
        if (array != null) {
            array.forEach(n -> m.put(n.get("key").asText(), n.get("value").asText()));
        }
        return m;
    }

    /** Full metric history, following page tokens. */
    List<MetricPoint> history(String runId, String key) throws IOException, InterruptedException {
        List<MetricPoint> points = new ArrayList<>();
        String token = null;
        do {
            Map<String, String> q = new LinkedHashMap<>(Map.of("run_id", runId, "metric_key", key, "max_results",
                    "500"));
            if (token != null) {
                q.put("page_token", token);
            }
            JsonNode page = get("metrics/get-history", q);
            if (page.has("metrics")) {
                page.get("metrics").forEach(m -> points.add(new MetricPoint(m.get("key").asText(),
                        m.get("value").asDouble(), m.get("timestamp").asLong(), m.get("step").asLong())));
            }
            token = page.hasNonNull("next_page_token") && !page.get("next_page_token").asText().isEmpty()
                    ? page.get("next_page_token").asText() : null;
        } while (token != null);
        return points;
    }

    byte[] artifact(String proxyPath) throws IOException, InterruptedException {
        String rel = proxyPath.startsWith("/") ? proxyPath.substring(1) : proxyPath;
        String encoded = URI.create("http://x/" + rel.replace(" ", "%20")).getRawPath();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base
                + "/api/2.0/mlflow-artifacts/artifacts" + encoded)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET artifact " + proxyPath + " -> " + r.statusCode());
        }
        return r.body();
    }
}
