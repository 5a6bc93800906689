package dev.vlltr.runtime.testing;

import dev.vlltr.runtime.store.S3BucketSetup;
import dev.vlltr.runtime.store.S3Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real MinIO server (the {@code minio} binary built by {@code go install github.com/minio/minio@...} in .ci/run)
 * on 127.0.0.1 with ephemeral ports and a data folder the test owns. Found through {@code $VLLTR_MINIO_BIN}, then
 * {@code ~/.cache/vlltr/bin/minio}, then the PATH.
 */
public final class MinioServer implements S3Server {

    public static final String ACCESS = "minio-test-user";
    public static final String SECRET = "minio-test-secret";

    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process process;

    private MinioServer(Path binary, Path dataDir) throws Exception {
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + "-minio.log");
        this.port = Ports.free();
        int console = Ports.free();
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), "server", dataDir.toString(),
                "--address", "127.0.0.1:" + port, "--console-address", "127.0.0.1:" + console, "--quiet")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("MINIO_ROOT_USER", ACCESS);
        pb.environment().put("MINIO_ROOT_PASSWORD", SECRET);
        pb.environment().put("MINIO_BROWSER", "off");
        pb.environment().put("MINIO_UPDATE", "off");
        pb.environment().put("MINIO_CALLHOME_ENABLE", "off");
        pb.environment().put("MINIO_CI_CD", "1");
        process = pb.start();
        awaitReady();
    }

    /** Starts MinIO on {@code dataDir}, or skips the test (fails under CI) when the binary is missing. */
    public static MinioServer start(Path dataDir) throws Exception {
        Path bin = locate();
        if (bin == null) {
            RequiredTool.missing("the minio server binary was not found ($VLLTR_MINIO_BIN, ~/.cache/vlltr/bin/minio,"
                    + " PATH); build it with: GOBIN=~/.cache/vlltr/bin go install "
                    + "github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c");
        }
        Files.createDirectories(dataDir);
        return new MinioServer(bin, dataDir);
    }

    static Path locate() {
        String env = System.getenv("VLLTR_MINIO_BIN");
        List<Path> candidates = new java.util.ArrayList<>();
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        }
        candidates.add(Path.of(System.getProperty("user.home"), ".cache", "vlltr", "bin", "minio"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "minio"));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("minio exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                        URI.create(endpoint() + "/minio/health/ready")).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("minio did not become ready in 30 s: " + Files.readString(log));
    }

    @Override
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public S3Config config() {
        return S3Config.of(endpoint(), ACCESS, SECRET);
    }

    /** Creates the bucket the way deployments do ({@link S3BucketSetup}: idempotent, with the abort rule asked for). */
    @Override
    public void createBucket(String bucket) throws Exception {
        try (S3BucketSetup setup = new S3BucketSetup(config())) {
            setup.ensure(bucket);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Kills the server abruptly (SIGKILL), as a crashed node would stop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
