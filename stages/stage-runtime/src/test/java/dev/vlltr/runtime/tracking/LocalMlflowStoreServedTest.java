package dev.vlltr.runtime.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlltr.runtime.testing.MlflowServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store written by {@link LocalMlflowStore} served by a real {@code mlflow server} (what {@code mlflow ui} runs). */
class LocalMlflowStoreServedTest {
    @TempDir
    Path tmp;

    @Test
    void mlflowServerServesTheLocalStore() throws Exception {
        MlflowServer.requirePython();
        Path root = tmp.resolve("mlruns");
        List<MetricPoint> points = new ArrayList<>();
        String parentId;
        String stageId;
        try (Tracker store = LocalMlflowStore.open(root, "served")) {
            parentId = store.startPipelineRun("vl-ltr-served", "pipe-s").runId();
            TrackedRun stage = store.startStageRun("vl-ltr-served", "pipe-s", "evaluation");
            stageId = stage.runId();
            for (int e = 0; e < 30; e++) {
                MetricPoint p = new MetricPoint("eval/top1", 0.3 + e / 100.0 + 1e-12 * e, 1_790_000_000_000L + e, e);
                points.add(p);
                stage.logMetric(p.key(), p.value(), p.step(), p.timestamp());
            }
            stage.logParams(Map.of("split", "test", "shots", "many/medium/few"));
            stage.logArtifact(Files.writeString(tmp.resolve("report.json"), "{\"top1\": 0.59}"), "reports");
            stage.end(RunStatus.FINISHED);
        }
        try (MlflowServer server = MlflowServer.startOnFileStore(root, tmp.resolve("server"))) {
            MlflowRest rest = new MlflowRest(server.uri());
            try {
                JsonNode exp = rest.get("experiments/get-by-name", Map.of("experiment_name", "vl-ltr-served"))
                        .get("experiment");
                JsonNode runs = rest.post("runs/search", Map.of("experiment_ids",
                        List.of(exp.get("experiment_id").asText()))).get("runs");
                assertEquals(2, runs.size(), runs.toString());
                JsonNode stage = rest.run(stageId);
                assertEquals("FINISHED", stage.get("info").get("status").asText());
                assertEquals(Map.of("split", "test", "shots", "many/medium/few"),
                        MlflowRest.keyValues(stage.get("data").get("params")));
                assertEquals(parentId, MlflowRest.keyValues(stage.get("data").get("tags"))
                        .get(TrackingTags.PARENT_RUN_ID));
                assertEquals(points, rest.history(stageId, "eval/top1"));
                JsonNode files = rest.get("artifacts/list", Map.of("run_id", stageId, "path", "reports")).get("files");
                assertEquals("reports/report.json", files.get(0).get("path").asText());
                assertTrue(files.get(0).get("file_size").asLong() > 0);
            } catch (AssertionError | RuntimeException e) {
                System.err.println("--- MLflow server log ---\n" + server.log());
                throw e;
            }
        }
    }
}
