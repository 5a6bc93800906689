package dev.vlltr.orchestration.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vlltr.orchestration.PipelineSpecReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Executes every shell block of README.md and docs/ whose fence is {@code ```bash tested}, after the jars are packaged
 * (this class runs in the integration-test phase), and requires exit code 0 within {@link #TIME_LIMIT}.
 *
 * <p>Each block runs with {@code bash -euo pipefail} in the repository root, with {@code HOME} and {@code TMPDIR} set to
 * a fresh temporary folder (blocks write only under {@code ${TMPDIR:-/tmp}}), {@code VLLTR_SKIP_BUILD=1} (the jars are
 * built), {@code DJL_OFFLINE=true OPT_OUT_TRACKING=true}, this JVM's {@code java} first on the PATH, and {@code R} and
 * {@code KEY} naming a model registry this test starts on its embedded PostgreSQL (the base URL of its API and an
 * admin key, as docs/registry-api.md sets them).
 */
class ShellBlocksIT {

    static final Duration TIME_LIMIT = Duration.ofMinutes(3);
    static final String REGISTRY_JAR = "registry-service/server/target/quarkus-app/quarkus-run.jar";

    @TempDir
    static Path shared;
    private static Process registry;
    private static URI registryUrl;
    private static String registryKey;

    static Stream<UserGuide.Block> blocks() {
        Path repo = PipelineSpecReader.findRepositoryRoot();
        List<UserGuide.Block> out = new ArrayList<>();
        UserGuide.pages(repo).forEach(p -> out.addAll(UserGuide.testedBlocks(p)));
        assertFalse(out.isEmpty(), "no ```bash tested blocks in README.md or docs/");
        return out.stream();
    }

    @BeforeAll
    static void startRegistry() throws Exception {
        Path repo = PipelineSpecReader.findRepositoryRoot();
        Path jar = repo.resolve(REGISTRY_JAR);
        if (!Files.isRegularFile(jar)) {
            fail(jar + " is not built; this test runs after 'package' (./mvnw -B -ntp verify)");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        registryKey = "docs-test-" + HexFormat.of().formatHex(secret);
        Files.createDirectories(shared.resolve("registry-db"));
        Path log = shared.resolve("registry.log");
        ProcessBuilder pb = new ProcessBuilder(javaBin().resolve("java").toString(), "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", String.valueOf(port),
                "VLLTR_REGISTRY_DATA_DIR", shared.resolve("registry-db").toString(),
                "VLLTR_REGISTRY_ADMIN_KEY_FILE", shared.resolve("registry-admin.key").toString(),
                "VLLTR_REGISTRY_BOOTSTRAP_API_KEY", registryKey));
        registry = pb.start();
        registryUrl = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (!registry.isAlive()) {
                fail("the registry exited with " + registry.exitValue() + ":\n" + tail(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(registryUrl.resolve("/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        fail("the registry was not ready within 3 minutes:\n" + tail(log));
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry != null) {
            registry.destroy();
            if (!registry.waitFor(30, TimeUnit.SECONDS)) {
                registry.destroyForcibly().waitFor();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blocks")
    void testedShellBlockExitsZero(UserGuide.Block block, @TempDir Path tmp) throws Exception {
        Path repo = PipelineSpecReader.findRepositoryRoot();
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path script = tmp.resolve("block.sh");
        Files.writeString(script, block.script(), StandardCharsets.UTF_8);
        Path output = tmp.resolve("output.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", script.toString()).directory(repo.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = pb.environment();
        env.put("HOME", home.toString());
        env.put("TMPDIR", tmp.toString());
        env.put("VLLTR_SKIP_BUILD", "1");
        env.put("DJL_OFFLINE", "true");
        env.put("OPT_OUT_TRACKING", "true");
        env.put("PATH", javaBin() + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("R", registryUrl + "/api/v1");
        env.put("KEY", registryKey);
        Process p = pb.start();
        if (!p.waitFor(TIME_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            fail(block + ": still running after " + TIME_LIMIT.toSeconds() + " s; output:\n" + tail(output));
        }
        assertEquals(0, p.exitValue(), () -> block + " exited with " + p.exitValue() + "; block:\n" + block.script()
                + "output:\n" + tail(output));
    }

    private static Path javaBin() {
        return Path.of(System.getProperty("java.home"), "bin");
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }
}
