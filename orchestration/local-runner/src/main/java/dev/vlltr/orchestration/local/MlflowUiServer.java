package dev.vlltr.orchestration.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code mlflow server} on a local run's file store, on 127.0.0.1: the UI over the runs the stages wrote, and the
 * model registry the registry service mirrors its versions into (MLflow keeps it in the same store, under
 * {@code models/}). MLflow 3 refuses a file store unless {@code MLFLOW_ALLOW_FILE_STORE=true}.
 */
final class MlflowUiServer implements AutoCloseable {

    private final Process process;
    private final URI url;

    private MlflowUiServer(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts the server and waits until {@code /health} answers 200.
     *
     * @param mlflow the {@code mlflow} executable (of the cached virtualenv)
     * @param store  the MLflow file store ({@code mlruns})
     */
    static MlflowUiServer start(Path mlflow, Path store, int port, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(List.of(mlflow.toString(), "server",
                "--backend-store-uri", store.toUri().toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port), "--workers", "1"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("MLFLOW_ALLOW_FILE_STORE", "true");
        MlflowUiServer server = new MlflowUiServer(pb.start(), URI.create("http://127.0.0.1:" + port));
        try {
            server.awaitHealthy(timeout, log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitHealthy(Duration timeout, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(url.resolve("/health")).timeout(Duration.ofSeconds(5)).GET()
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mlflow server exited with code " + process.exitValue() + " during start-up;"
                        + " its log " + log + " ends with:\n  " + String.join("\n  ", StageProcess.tail(log, 15)));
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("mlflow server did not answer " + url + "/health within " + timeout.toSeconds()
                + " s; see " + log);
    }

    URI url() {
        return url;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server and its workers (gunicorn/uvicorn children) and waits for them. */
    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }
}
