package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.FileArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the runner tells experiment tracking, and that tracking trouble never fails a stage. */
class StageTrackingTest {

    @TempDir
    Path tmp;

    /** Records the calls in order; optionally fails every one of them. */
    static final class Recording implements StageTracking {
        final List<String> calls = new ArrayList<>();
        final boolean failing;

        Recording(boolean failing) {
            this.failing = failing;
        }

        private void record(String s) {
            calls.add(s);
            if (failing) {
                throw new IllegalStateException("tracking server unreachable");
            }
        }

        @Override
        public void started(String stage, String runId, Map<String, String> params, Map<String, String> tags) {
            record("started " + stage + " " + runId + " " + params + " fingerprint=" + tags.containsKey("vlltr.fingerprint"));
        }

        @Override
        public void metrics(List<StageContext.MetricPoint> points) {
            points.forEach(p -> record("metric " + p.key() + "=" + p.value() + "@" + p.step()));
        }

        @Override
        public void artifact(Path file) {
            record("artifact " + file.getFileName() + " exists=" + Files.exists(file));
        }

        @Override
        public void finished(boolean success) {
            record("finished " + success);
        }
    }

    StageConfig config(Path numbers, Map<String, String> params) {
        return new StageConfig("run-1", tmp.resolve("root").toString(), null, null,
                Map.of("numbers", numbers.toString()), params);
    }

    @Test
    void paramsMetricsManifestAndOutcomeAreReported() throws Exception {
        Path numbers = tmp.resolve("n.txt");
        Files.writeString(numbers, "2\n3\n");
        Recording rec = new Recording(false);
        StageRunner runner = new StageRunner(new FileArtifactStore(), tmp.resolve("work"),
                new XcomWriter(tmp.resolve("none")), rec);
        runner.run(SumStage.DEFINITION, config(numbers, Map.of()), false, new SumStage()::execute);
        assertEquals(List.of(
                "started sum run-1 {factor=2, fail-after-outputs=0.0, mode=plain} fingerprint=true",
                "metric result=10.0@0",
                "metric loss=1.0@0", "metric loss=0.5@1", "metric loss=0.3333333333333333@2",
                "artifact manifest.json exists=true",
                "finished true"), rec.calls);

        Recording failed = new Recording(false);
        assertThrows(IllegalStateException.class, () -> new StageRunner(new FileArtifactStore(), tmp.resolve("work"),
                new XcomWriter(tmp.resolve("none")), failed).run(SumStage.DEFINITION,
                config(numbers, Map.of("fail-after-outputs", "1")), false, new SumStage()::execute));
        assertEquals("finished false", failed.calls.get(failed.calls.size() - 1));
    }

    @Test
    void aFailingTrackingServerDoesNotFailTheStage() throws Exception {
        Path numbers = tmp.resolve("n.txt");
        Files.writeString(numbers, "2\n3\n");
        Recording broken = new Recording(true);
        StageRunner.Result r = new StageRunner(new FileArtifactStore(), tmp.resolve("work"),
                new XcomWriter(tmp.resolve("none")), broken).run(SumStage.DEFINITION, config(numbers, Map.of()), false,
                new SumStage()::execute);
        assertTrue(Files.exists(Path.of(r.manifestUri())), "the stage completed and published its manifest");
        assertEquals("finished true", broken.calls.get(broken.calls.size() - 1));
    }
}
