package dev.vlltr.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real MLflow tracking server for tests: {@code python -m mlflow server --host 127.0.0.1 --port <free>
 * --backend-store-uri sqlite:///<dir>/mlflow.db --artifacts-destination <dir>/artifacts}, started from the Python
 * found by {@link #python()}, stopped (with its worker processes) by {@link #close()}.
 *
 * <p>Python lookup: env {@code VLLTR_MLFLOW_PYTHON}, else {@code ~/.cache/vlltr/venv-mlflow/bin/python} (where
 * {@code .ci/run} installs {@code mlflow}). When absent, {@link #requirePython()} skips the test with a message, or
 * fails it when the system property {@code vlltr.requireServers=true} (CI).
 */
public final class MlflowServer implements AutoCloseable {
    /** Env var naming the Python interpreter that has {@code mlflow} installed. */
    public static final String ENV_PYTHON = "VLLTR_MLFLOW_PYTHON";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    private final Process process;
    private final String uri;
    private final Path workDir;
    private final Path logFile;

    private MlflowServer(Process process, String uri, Path workDir, Path logFile) {
        this.process = process;
        this.uri = uri;
        this.workDir = workDir;
        this.logFile = logFile;
    }

    /** The Python with {@code mlflow}, if any (not checked for the module itself: that costs seconds). */
    public static Optional<Path> python() {
        String fromEnv = System.getenv(ENV_PYTHON);
        Path candidate = fromEnv != null && !fromEnv.isBlank() ? Paths.get(fromEnv)
                : Paths.get(System.getProperty("user.home"), ".cache", "vlltr", "venv-mlflow", "bin", "python");
        return Files.isExecutable(candidate) ? Optional.of(candidate) : Optional.empty();
    }

    /** The Python with {@code mlflow}; skips the calling test when absent, or fails it under {@code vlltr.requireServers}. */
    public static Path requirePython() {
        Optional<Path> python = python();
        if (python.isPresent()) {
            return python.get();
        }
        String msg = "no Python with mlflow: set " + ENV_PYTHON + " or run `python3 -m venv ~/.cache/vlltr/venv-mlflow"
                + " && ~/.cache/vlltr/venv-mlflow/bin/pip install mlflow==3.17.2`";
        if (Boolean.getBoolean("vlltr.requireServers")) {
            throw new IllegalStateException(msg + " (required: vlltr.requireServers=true)");
        }
        Assumptions.abort(msg);
        throw new AssertionError("unreachable");
    }

    /** Starts a server whose database and artifacts live under {@code workDir}; returns once {@code /health} answers. */
    public static MlflowServer start(Path workDir) throws IOException, InterruptedException {
        Path db = workDir.toAbsolutePath().resolve("mlflow.db");
        return start(workDir, "sqlite:///" + db, List.of("--artifacts-destination",
                workDir.toAbsolutePath().resolve("artifacts").toString()), Map.of());
    }

    /**
     * Starts a server that reads an MLflow file store ({@code mlruns/} directory), as {@code MLFLOW_ALLOW_FILE_STORE=true
     * mlflow ui --backend-store-uri <dir>} does; run artifacts are read from their {@code file:} locations.
     */
    public static MlflowServer startOnFileStore(Path storeRoot, Path workDir) throws IOException, InterruptedException {
        return start(workDir, storeRoot.toAbsolutePath().toUri().toString(), List.of(),
                Map.of("MLFLOW_ALLOW_FILE_STORE", "true"));
    }

    private static MlflowServer start(Path workDir, String backendStoreUri, List<String> extraArgs,
            Map<String, String> env) throws IOException, InterruptedException {
        Path python = requirePython();
        Files.createDirectories(workDir);
        int port = freePort();
        Path log = workDir.resolve("mlflow-server.log");
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-m", "mlflow", "server",
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--backend-store-uri", backendStoreUri, "--workers", "1"));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        // The job runner (two extra Python processes) serves GenAI features the tests do not use.
        pb.environment().put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
        pb.environment().putAll(env);
        Process p = pb.start();
        String uri = "http://127.0.0.1:" + port;
        MlflowServer server = new MlflowServer(p, uri, workDir, log);
        try {
            server.awaitHealthy();
        } catch (IOException | InterruptedException | RuntimeException e) {
            String out = server.log();
            server.close();
            throw new IllegalStateException("MLflow server did not become healthy: " + e.getMessage() + "\n--- server"
                    + " log ---\n" + out, e);
        }
        return server;
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(uri + "/health")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server process exited with code " + process.exitValue());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no answer on " + uri + "/health within " + START_TIMEOUT.toSeconds() + " s");
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String uri() {
        return uri;
    }

    /** Where the server stores artifacts ({@code --artifacts-destination}). */
    public Path artifactsDir() {
        return workDir.resolve("artifacts");
    }

    /** The server's output so far. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** Stops the server and every process it started (uvicorn workers). */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /**
     * Runs {@code python -c script} with the mlflow Python and extra env; returns stdout.
     *
     * @throws IllegalStateException with stdout and stderr when it exits non-zero or times out
     */
    public static String runPython(String script, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path python = requirePython();
        Path err = Files.createTempFile("mlflow-python", ".err");
        Path out = Files.createTempFile("mlflow-python", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(python.toString(), "-c", script)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("python did not finish within " + timeout + "\nstderr:\n"
                        + Files.readString(err));
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("python exited with " + p.exitValue() + "\nstdout:\n" + stdout
                        + "\nstderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return stdout;
        } finally {
            Files.deleteIfExists(err);
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
