package dev.vlltr.orchestration.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.orchestration.PipelineSpecReader;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole pipeline as the README's first command runs it ({@code vlltr-local --quick}, in process): every stage jar
 * as its own process, file:// artifacts, the MLflow file store, the registry on its embedded PostgreSQL. Then what a
 * user does next: the same command again (every stage memoised), the same command under a fresh run id (every metric
 * must come out identical: same seed, command and thread count), and the MLflow UI with the registry on the run's
 * database, which mirrors the registered versions into MLflow's Models page.
 */
class QuickPipelineTest {

    static final Path REPO = PipelineSpecReader.findRepositoryRoot();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** Metrics that measure time, not the model: the only ones allowed to differ between two identical runs. */
    static boolean timing(String key) {
        return key.contains("seconds") || key.endsWith("_s") || key.contains("per_second") || key.contains("time")
                || key.equals("registered_version");
    }

    record Run(int code, String out) {}

    static Run runner(Path work, String runId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new LocalRunCommand()).execute("--quick", "--run-id", runId, "--work-dir",
                    work.toString(), "--repo", REPO.toString(), "--jvm-option", "-Dai.djl.pytorch.num_threads=1");
        } finally {
            System.setOut(saved);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(out);   // in the surefire report
        return new Run(code, out);
    }

    static Map<String, Map<String, Double>> metricsByExecution(Path artifacts, String runId) throws IOException {
        Map<String, Map<String, Double>> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(artifacts)) {
            for (Path m : files.filter(p -> p.getFileName().toString().equals(StageManifest.FILE_NAME)).toList()) {
                StageManifest manifest = Manifests.parse(Files.readAllBytes(m), m.toUri());
                if (manifest.runId().equals(runId)) {
                    all.put(artifacts.relativize(m).toString().replace(runId, "<run>"), manifest.metrics());
                }
            }
        }
        return all;
    }

    @Test
    void quickRunTracksRegistersIsMemoisedReproducesAndShowsInMlflow(@TempDir Path tmp) throws Exception {
        WorkFolder work = new WorkFolder(tmp);

        // 1. the first run: one plain status line per stage, top-1 first, then where to look next
        Run first = runner(tmp, "quick");
        assertEquals(0, first.code(), first.out());
        assertFalse(first.out().contains("\r"), "stdout is not a terminal here: no redraws");
        List<String> stageLines = outcomeLines(first.out());
        assertEquals(10, stageLines.size(), first.out());
        stageLines.forEach(l -> assertTrue(l.matches("\\[\\s*\\d+/10\\] \\S+\\s+done\\s+\\S+\\s+\\S+=.*"), l));
        String evaluation = stageLines.get(9);
        assertTrue(evaluation.matches(".*done\\s+\\S+\\s+selected/test/top1=0\\.\\d{4} .*"), evaluation);
        assertTrue(evaluation.contains(" registered_version=1"), "integers as integers: " + evaluation);
        assertTrue(first.out().contains("Next: orchestration/run-local.sh ui quick"), first.out());
        assertTrue(work.report("quick").isPresent());

        // 2. tracking: the parent run ended with its status, parameters and headline metrics; runs named by execution
        Path parent = runDirTagged(work.mlruns(), "vlltr.pipeline_run_id", "quick");
        assertTrue(Files.readString(parent.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        assertEquals("fmnist-lt-quick", Files.readString(parent.resolve("params/dataset")));
        assertEquals("crt,ncm,tau,lws,joint", Files.readString(parent.resolve("params/methods")), "defaults too");
        assertEquals("vl-ltr-quick", Files.readString(parent.resolve("params/model_name")));
        assertTrue(Files.isRegularFile(parent.resolve("metrics/selected/test/top1")));
        assertTrue(Files.readString(parent.resolve("metrics/stages_ran")).contains(" 10.0 "));
        Path crt = runDirTagged(work.mlruns(), "mlflow.runName", "recalibration[crt]");
        assertEquals("recalibration", Files.readString(crt.resolve("tags/vlltr.stage")));
        assertEquals(parent.getFileName().toString(), Files.readString(crt.resolve("tags/mlflow.parentRunId")));
        Path evaluationRun = runDirTagged(work.mlruns(), "mlflow.runName", "evaluation");

        // 3. the same command again: every stage memoised
        Run again = runner(tmp, "quick");
        assertEquals(0, again.code(), again.out());
        List<String> memo = outcomeLines(again.out());
        assertEquals(10, memo.size(), again.out());
        memo.forEach(l -> assertTrue(l.matches("\\[\\s*\\d+/10\\] \\S+\\s+memoised\\s.*"), l));

        // 4. reproducible: the same command under a fresh run id (nothing memoised) gives every metric exactly
        Run fresh = runner(tmp, "quick-again");
        assertEquals(0, fresh.code(), fresh.out());
        Map<String, Map<String, Double>> a = metricsByExecution(work.artifacts(), "quick");
        Map<String, Map<String, Double>> b = metricsByExecution(work.artifacts(), "quick-again");
        assertEquals(a.keySet(), b.keySet());
        assertEquals(10, a.size(), a.keySet().toString());
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (String execution : a.keySet()) {
            for (Map.Entry<String, Double> m : a.get(execution).entrySet()) {
                if (timing(m.getKey())) {
                    continue;
                }
                compared++;
                Double other = b.get(execution).get(m.getKey());
                if (!m.getValue().equals(other)) {
                    differences.add(execution + " " + m.getKey() + ": " + m.getValue() + " vs " + other);
                }
            }
        }
        assertTrue(compared > 30, "compared " + compared + " metrics");
        assertEquals(List.of(), differences, "same seed, command and thread count must give the same metrics");

        // 5. the registry on the run's database, as run-local.sh ui starts it, mirroring into the MLflow UI
        Path mlflow = mlflowExecutable();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try (MlflowUiServer ui = MlflowUiServer.start(mlflow, work.mlruns(), UiCommand.portOrFree(0),
                tmp.resolve("logs/mlflow-ui.log"), Duration.ofMinutes(3));
                EmbeddedRegistry registry = EmbeddedRegistry.start(java, REPO.resolve(LocalRunCommand.REGISTRY_JAR),
                        work.registryDb(), tmp.resolve("logs/registry-ui.log"), Duration.ofMinutes(3), 0,
                        EmbeddedRegistry.mirrorEnvironment(ui.url()))) {
            JsonNode v1 = awaitMirrored(registry, "vl-ltr-quick", 1);
            JsonNode lineage = v1.get("lineage");
            assertEquals("quick", lineage.get("pipelineRunId").asText());
            assertEquals(evaluationRun.getFileName().toString(), lineage.get("mlflowRunId").asText());
            // the shipped spec by name, resolved under the repository's datasets/ (data_root), with its digest
            assertTrue(lineage.get("datasetId").asText().matches("file:///.*/datasets/fmnist-lt-quick/dataset\\.yaml"
                    + "@sha256:[0-9a-f]{64}"), lineage.toString());
            assertTrue(lineage.get("corpusId").asText().matches("corpus\\.jsonl@sha256:[0-9a-f]{64}"),
                    lineage.toString());
            assertEquals(404, get(registry.url().resolve("/api/v1/models/vl-ltr"), registry.apiKey()).statusCode(),
                    "the quick profile never registers into the real model");

            String mlflowVersion = v1.get("mirror").get("mlflowVersion").asText();
            HttpResponse<String> shown = get(ui.url().resolve("/api/2.0/mlflow/model-versions/get?name=vl-ltr-quick"
                    + "&version=" + URLEncoder.encode(mlflowVersion, StandardCharsets.UTF_8)), null);
            assertEquals(200, shown.statusCode(), shown.body());
            assertEquals(lineage.get("mlflowRunId").asText(),
                    JSON.readTree(shown.body()).get("model_version").get("run_id").asText(), shown.body());
        }
    }

    /** The stage outcome lines (a long stage also prints "running" progress lines, at most one a minute). */
    static List<String> outcomeLines(String out) {
        return out.lines().filter(l -> l.matches("\\[\\s*\\d+/10\\] .*") && !l.matches("\\[.*?\\] \\S+\\s+running .*"))
                .toList();
    }

    /** The run directory (in any experiment of the store) whose tag has this value. */
    static Path runDirTagged(Path mlruns, String tag, String value) throws IOException {
        try (Stream<Path> tags = Files.walk(mlruns)) {
            for (Path t : tags.filter(p -> p.endsWith(Path.of("tags", tag))).toList()) {
                if (Files.readString(t).equals(value)) {
                    return t.getParent().getParent();
                }
            }
        }
        throw new AssertionError("no run tagged " + tag + "=" + value + " in " + mlruns);
    }

    static HttpResponse<String> get(URI uri, String key) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET();
        if (key != null) {
            r.header("X-API-Key", key);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls a version until the registry reports it mirrored into MLflow (bounded: 2 minutes). */
    static JsonNode awaitMirrored(EmbeddedRegistry registry, String model, int version) throws Exception {
        URI uri = registry.url().resolve("/api/v1/models/" + model + "/versions/" + version);
        JsonNode v = null;
        for (long end = System.nanoTime() + Duration.ofMinutes(2).toNanos(); System.nanoTime() < end; ) {
            HttpResponse<String> r = get(uri, registry.apiKey());
            assertEquals(200, r.statusCode(), r.body());
            v = JSON.readTree(r.body());
            if ("MIRRORED".equals(v.path("mirror").path("status").asText())) {
                return v;
            }
            Thread.sleep(1000);
        }
        fail("version " + version + " of " + model + " was not mirrored into MLflow: " + v);
        return null;
    }

    /** The mlflow of the cached virtualenv ({@code VLLTR_MLFLOW_PYTHON}'s sibling, as CI installs it). */
    static Path mlflowExecutable() {
        String py = System.getenv("VLLTR_MLFLOW_PYTHON");
        Path exe = py != null && !py.isBlank() ? Path.of(py).resolveSibling("mlflow")
                : Path.of(System.getProperty("user.home"), ".cache/vlltr/venv-mlflow/bin/mlflow");
        if (!Files.isExecutable(exe)) {
            String msg = "mlflow not installed at " + exe;
            if (Boolean.getBoolean("vlltr.requireServers")) {
                fail(msg + " (required: vlltr.requireServers=true)");
            }
            Assumptions.abort(msg + ": the MLflow UI part is skipped");
        }
        assertNotNull(exe);
        return exe;
    }
}
