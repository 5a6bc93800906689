package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.tracking.LocalMlflowStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage's MLflow run is named after its execution when the orchestrator says which one it is. */
class TrackedStageTest {

    static String runName(Path store, String runId) throws Exception {
        try (Stream<Path> files = Files.walk(store)) {
            Path meta = files.filter(p -> p.endsWith(Path.of(runId, "tags", "mlflow.runName"))).findFirst()
                    .orElseThrow();
            return Files.readString(meta);
        }
    }

    @Test
    void aFannedOutExecutionNamesItsRunAndKeepsTheStageTag(@TempDir Path tmp) throws Exception {
        Path store = tmp.resolve("mlruns");
        String crt;
        String plain;
        String stale;
        try (TrackedStage t = new TrackedStage(LocalMlflowStore.open(store), "exp", "recalibration[crt]")) {
            t.started("recalibration", "pipe-1", Map.of("method", "crt"), Map.of());
            crt = t.trackingRunId().orElseThrow();
            t.finished(true);
        }
        try (TrackedStage t = new TrackedStage(LocalMlflowStore.open(store), "exp", null)) {
            t.started("lgr", "pipe-1", Map.of(), Map.of());
            plain = t.trackingRunId().orElseThrow();
            t.finished(true);
        }
        // a variable left over from another stage must not rename this one
        try (TrackedStage t = new TrackedStage(LocalMlflowStore.open(store), "exp", "recalibration[tau]")) {
            t.started("evaluation", "pipe-1", Map.of(), Map.of());
            stale = t.trackingRunId().orElseThrow();
            t.finished(true);
        }
        assertEquals("recalibration[crt]", runName(store, crt));
        assertEquals("lgr", runName(store, plain));
        assertEquals("evaluation", runName(store, stale));
        try (Stream<Path> files = Files.walk(store)) {
            List<Path> stageTags = files.filter(p -> p.endsWith(Path.of(crt, "tags", "vlltr.stage"))).toList();
            assertEquals(1, stageTags.size());
            assertEquals("recalibration", Files.readString(stageTags.get(0)));
        }
        assertTrue(crt.matches("[0-9a-f]{32}"), crt);
        assertTrue(new TrackedStage(LocalMlflowStore.open(store), "exp").trackingRunId().isEmpty(),
                "no run id before the stage started");
    }
}
