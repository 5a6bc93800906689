package dev.vlltr.runtime.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackerFactoryTest {
    @TempDir
    Path tmp;

    @Test
    void picksTheImplementationFromTheUri() {
        try (Tracker t = TrackerFactory.forUri("http://127.0.0.1:5000/", Map.of())) {
            assertInstanceOf(MlflowTracker.class, t);
            assertEquals("http://127.0.0.1:5000", t.uri());
        }
        try (Tracker t = TrackerFactory.forUri("https://mlflow.example.org/prefix", Map.of())) {
            assertInstanceOf(MlflowTracker.class, t);
        }
        Path a = tmp.resolve("a");
        try (Tracker t = TrackerFactory.forUri(LocalMlflowStore.fileUri(a), Map.of())) {
            assertInstanceOf(LocalMlflowStore.class, t);
            assertEquals(a, ((LocalMlflowStore) t).root());
        }
        assertTrue(Files.isRegularFile(a.resolve("0/meta.yaml")), "the root is created with experiment 0");
        Path b = tmp.resolve("b dir");
        try (Tracker t = TrackerFactory.forUri(b.toString(), Map.of())) {
            assertInstanceOf(LocalMlflowStore.class, t);
            assertEquals(LocalMlflowStore.fileUri(b), t.uri());
            assertTrue(t.uri().contains("b%20dir"), t.uri());
        }
        try (Tracker t = TrackerFactory.forUri("none", Map.of())) {
            assertInstanceOf(DisabledTracker.class, t);
            assertFalse(t.isEnabled());
        }
    }

    @Test
    void rejectsUnsupportedUrisWithTheExpectedForms() {
        for (String bad : new String[] {"", "  ", "s3://bucket/mlruns", "databricks", "databricks://profile",
            "file://otherhost/x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrackerFactory.forUri(bad, Map.of()), bad);
            assertTrue(e.getMessage().contains("tracking URI"), e.getMessage());
        }
    }

    @Test
    void readsCredentialsFromTheEnvironment() {
        MlflowTracker.Builder b = MlflowTracker.builder().setTrackingUri("http://h:1")
                .optFromEnvironment(Map.of("MLFLOW_TRACKING_USERNAME", "u", "MLFLOW_TRACKING_PASSWORD", "p",
                        "MLFLOW_TRACKING_INSECURE_TLS", "true"));
        try (MlflowTracker t = b.build()) {
            assertEquals("http://h:1", t.uri());
        }
        assertThrows(IllegalArgumentException.class, () -> MlflowTracker.builder().setTrackingUri("ftp://h"));
        assertThrows(IllegalStateException.class, () -> MlflowTracker.builder().build());
    }

    @Test
    void disabledTrackerValidatesButWritesNothing() throws Exception {
        try (Tracker t = new DisabledTracker()) {
            TrackedRun run = t.startStageRun("vl-ltr", "pipe", "lgr");
            assertEquals("", run.runId());
            run.logParam("lr", "0.1").logMetric("loss", 1, 0).setTag("k", "v").logArtifact(tmp.resolve("x"), "d");
            assertThrows(IllegalArgumentException.class, () -> run.logMetric("bad@key", 1, 0));
            run.end(RunStatus.FINISHED);
            assertTrue(run.isEnded());
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.count());
        }
    }
}
