package dev.vlltr.runtime.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Puts a file at a run's artifact location without the Python CLI the MLflow Java client would fork: through the
 * tracking server's artifact proxy for {@code mlflow-artifacts:} locations, by a copy for {@code file:} ones.
 */
final class MlflowArtifactUploader {
    private static final String PROXY_PATH = "/api/2.0/mlflow-artifacts/artifacts/";

    private final URI trackingUri;
    private final String authorization;
    private final Duration timeout;
    private final HttpClient http;

    MlflowArtifactUploader(URI trackingUri, String username, String password, String token, boolean insecureTls,
            Duration timeout) {
        this.trackingUri = trackingUri;
        this.timeout = timeout;
        if (username != null && password != null) {
            this.authorization = "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        } else if (token != null) {
            this.authorization = "Bearer " + token;
        } else {
            this.authorization = null;
        }
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (insecureTls) {
            b.sslContext(trustAll());
        }
        this.http = b.build();
    }

    void upload(String runId, String artifactUri, Path file, String artifactDir) {
        String relPath = AbstractTracker.artifactPath(artifactDir, file);
        URI location = URI.create(artifactUri);
        String scheme = location.getScheme() == null ? "" : location.getScheme();
        switch (scheme) {
            case "mlflow-artifacts" -> put(proxyUri(location, relPath), file, runId);
            case "file" -> copy(Paths.get(location).resolve(relPath), file);
            default -> throw new IllegalStateException("run " + runId + " stores artifacts at '" + artifactUri
                    + "', which this tracker cannot write without Python; run the MLflow server with artifact"
                    + " proxying (the default: --artifacts-destination <store>) so runs get mlflow-artifacts:"
                    + " locations, or upload the file with the ArtifactStore and log its URI as a tag");
        }
    }

    /** {@code mlflow-artifacts:/1/<run>/artifacts} → {@code <tracking>/api/2.0/mlflow-artifacts/artifacts/1/<run>/artifacts/<rel>}. */
    URI proxyUri(URI location, String relPath) {
        String locPath = location.getPath() == null ? location.getSchemeSpecificPart() : location.getPath();
        while (locPath.startsWith("/")) {
            locPath = locPath.substring(1);
        }
        String authority = location.getAuthority() != null ? location.getAuthority() : trackingUri.getAuthority();
        String prefix = location.getAuthority() != null || trackingUri.getPath() == null ? "" : trackingUri.getPath();
        try {
            return new URI(trackingUri.getScheme(), authority, prefix + PROXY_PATH + locPath + "/" + relPath, null,
                    null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot build an artifact URL from '" + location + "' and '" + relPath
                    + "': " + e.getMessage(), e);
        }
    }

    private void put(URI target, Path file, String runId) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(timeout)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(file));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("uploading artifact " + file + " of run " + runId + " to " + target
                        + " failed: HTTP " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("uploading artifact " + file + " of run " + runId + " to " + target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading artifact " + file, e);
        }
    }

    private static void copy(Path target, Path file) {
        try {
            AtomicFiles.copy(file, target);
        } catch (IOException e) {
            throw new UncheckedIOException("copying artifact " + file + " to " + target, e);
        }
    }

    private static SSLContext trustAll() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a TLS context", e);
        }
    }
}
