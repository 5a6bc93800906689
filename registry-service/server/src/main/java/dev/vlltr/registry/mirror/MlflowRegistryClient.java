package dev.vlltr.registry.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The few MLflow model-registry REST calls the mirror needs ({@code /api/2.0/mlflow/...}). */
public class MlflowRegistryClient {
    private final URI base;
    private final ObjectMapper json;
    private final HttpClient http;

    public MlflowRegistryClient(URI trackingUri, ObjectMapper json, Duration timeout) {
        String s = trackingUri.toString();
        this.base = URI.create(s.endsWith("/") ? s : s + "/");
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** Creates the registered model; an existing one is fine. */
    public void ensureRegisteredModel(String name, String description) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("name", name).put("description", description);
        HttpResponse<String> r = post("api/2.0/mlflow/registered-models/create", body);
        if (r.statusCode() == 200) {
            return;
        }
        if (r.body().contains("RESOURCE_ALREADY_EXISTS")) {
            return;
        }
        throw new IOException("MLflow registered-models/create answered " + r.statusCode() + ": " + shorten(r.body()));
    }

    /** Creates a model version and returns MLflow's version number. */
    public String createModelVersion(String name, String source, String runId, String description,
                                     Map<String, String> tags) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("name", name).put("source", source)
                .put("description", description);
        if (runId != null) {
            body.put("run_id", runId);
        }
        var arr = body.putArray("tags");
        tags.forEach((k, v) -> arr.addObject().put("key", k).put("value", v));
        HttpResponse<String> r = post("api/2.0/mlflow/model-versions/create", body);
        if (r.statusCode() != 200) {
            throw new IOException("MLflow model-versions/create answered " + r.statusCode() + ": " + shorten(r.body()));
        }
        JsonNode n = json.readTree(r.body());
        return n.path("model_version").path("version").asText();
    }

    /**
     * The MLflow version of {@code name} tagged {@code tagKey = tagValue}, or null. Lets a retried mirror find
     * the version an earlier attempt created (its answer lost, or the registry update after it failed) instead
     * of creating a duplicate.
     */
    public String findVersionByTag(String name, String tagKey, String tagValue) throws IOException, InterruptedException {
        String filter = "name='" + name.replace("'", "\\'") + "' and tags.`" + tagKey + "`='"
                + tagValue.replace("'", "\\'") + "'";
        HttpRequest req = HttpRequest.newBuilder(base.resolve("api/2.0/mlflow/model-versions/search?filter="
                        + java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")))
                .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("MLflow model-versions/search answered " + r.statusCode() + ": " + shorten(r.body()));
        }
        JsonNode versions = json.readTree(r.body()).path("model_versions");
        return versions.isArray() && !versions.isEmpty() ? versions.get(0).path("version").asText() : null;
    }

    /** Sets an alias on an MLflow model version. */
    public void setAlias(String name, String alias, String version) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("name", name).put("alias", alias).put("version", version);
        HttpResponse<String> r = post("api/2.0/mlflow/registered-models/alias", body);
        if (r.statusCode() != 200) {
            throw new IOException("MLflow registered-models/alias answered " + r.statusCode() + ": " + shorten(r.body()));
        }
    }

    /** Deletes an alias of an MLflow model; an alias (or model) that does not exist is fine. */
    public void deleteAlias(String name, String alias) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("name", name).put("alias", alias);
        HttpRequest req = HttpRequest.newBuilder(base.resolve("api/2.0/mlflow/registered-models/alias"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && !r.body().contains("RESOURCE_DOES_NOT_EXIST")) {
            throw new IOException("MLflow registered-models/alias DELETE answered " + r.statusCode() + ": "
                    + shorten(r.body()));
        }
    }

    private HttpResponse<String> post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static String shorten(String s) {
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
}
