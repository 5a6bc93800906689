package dev.vlltr.runtime.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlltr.runtime.testing.MlflowServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link MlflowTracker} against a real MLflow server, read back through the REST API. */
class MlflowTrackerTest {
    @RegisterExtension
    static final MlflowServerExtension MLFLOW = new MlflowServerExtension();

    @TempDir
    Path tmp;

    private MlflowTracker tracker() {
        return MlflowTracker.builder().setTrackingUri(MLFLOW.server().uri()).optSourceName("MlflowTrackerTest")
                .optCreateSettleTime(java.time.Duration.ofMillis(300)).build();
    }

    @Test
    void logsNestedStageRunWithBatchedMetricsTagsAndArtifact() throws Exception {
        MlflowRest rest = new MlflowRest(MLFLOW.server().uri());
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < 150; i++) { // > 100 params: needs two log-batch requests
            params.put(String.format("p%03d", i), "value-" + i);
        }
        params.put("lr", "3e-4");
        params.put("text", "Zürich 東京 — long-tail");
        Map<String, String> tags = Map.of("dataset", "fashion-mnist-lt", "imbalance", "100", "git sha", "abc123");
        List<MetricPoint> logged = new ArrayList<>();
        Random rnd = new Random(7);
        long t0 = 1_790_000_000_000L;
        for (int i = 0; i < 1200; i++) { // > 1000 points: needs batching
            logged.add(new MetricPoint("train/loss", Math.exp(-i / 300.0) + rnd.nextGaussian() * 1e-3, t0 + i, i));
        }
        for (int e = 0; e < 40; e++) {
            logged.add(new MetricPoint("val/top1", rnd.nextDouble(), t0 + 10_000 + e, e));
            logged.add(new MetricPoint("lr", 3e-4 * Math.pow(0.5, e), t0 + 10_000 + e, e));
        }
        byte[] content = new byte[200_000];
        rnd.nextBytes(content);
        Path artifact = Files.write(tmp.resolve("confusion matrix.bin"), content);

        String parentId;
        String stageId;
        try (Tracker tracker = tracker()) {
            TrackedRun parent = tracker.startPipelineRun("vl-ltr-it", "pipe-1");
            parentId = parent.runId();
            TrackedRun stage = tracker.startStageRun("vl-ltr-it", "pipe-1", "lgr");
            stageId = stage.runId();
            stage.logParams(params).setTags(tags);
            for (MetricPoint m : logged) {
                stage.logMetric(m.key(), m.value(), m.step(), m.timestamp());
            }
            stage.logArtifact(artifact, "reports/epoch 1");
            stage.end(RunStatus.FINISHED);
            parent.end(RunStatus.FINISHED);
            assertThrows(IllegalStateException.class, () -> stage.logMetric("late", 1, 0));
        }

        JsonNode stageRun = rest.run(stageId);
        JsonNode info = stageRun.get("info");
        assertEquals("FINISHED", info.get("status").asText());
        assertEquals("lgr", info.get("run_name").asText());
        assertTrue(info.get("end_time").asLong() >= info.get("start_time").asLong());
        assertEquals(params, MlflowRest.keyValues(stageRun.get("data").get("params")));

        Map<String, String> actualTags = MlflowRest.keyValues(stageRun.get("data").get("tags"));
        Map<String, String> expectedTags = new LinkedHashMap<>(tags);
        expectedTags.put(TrackingTags.RUN_NAME, "lgr");
        expectedTags.put(TrackingTags.USER, System.getProperty("user.name"));
        expectedTags.put(TrackingTags.SOURCE_NAME, "MlflowTrackerTest");
        expectedTags.put(TrackingTags.SOURCE_TYPE, "LOCAL");
        expectedTags.put(TrackingTags.PARENT_RUN_ID, parentId);
        expectedTags.put(TrackingTags.STAGE, "lgr");
        expectedTags.put(TrackingTags.RUN_ID, "pipe-1");
        String token = actualTags.get(TrackingTags.CREATE_TOKEN);
        assertTrue(token != null && token.matches("[0-9a-f-]{36}"), "create token tag: " + token);
        expectedTags.put(TrackingTags.CREATE_TOKEN, token);
        assertEquals(expectedTags, actualTags);

        for (String key : List.of("train/loss", "val/top1", "lr")) {
            List<MetricPoint> expected = logged.stream().filter(m -> m.key().equals(key))
                    .sorted(Comparator.comparingLong(MetricPoint::step)).toList();
            List<MetricPoint> actual = new ArrayList<>(rest.history(stageId, key));
            actual.sort(Comparator.comparingLong(MetricPoint::step));
            assertEquals(expected, actual, "history of " + key); // record equality: exact doubles
        }

        JsonNode parentRun = rest.run(parentId);
        assertEquals("FINISHED", parentRun.get("info").get("status").asText());
        Map<String, String> parentTags = MlflowRest.keyValues(parentRun.get("data").get("tags"));
        assertEquals("pipe-1", parentTags.get(TrackingTags.PIPELINE_RUN_ID));
        assertEquals("pipe-1", parentTags.get(TrackingTags.RUN_NAME));
        assertFalse(parentTags.containsKey(TrackingTags.PARENT_RUN_ID));

        String artifactUri = info.get("artifact_uri").asText();
        assertTrue(artifactUri.startsWith("mlflow-artifacts:/"), artifactUri);
        String proxyPath = artifactUri.substring("mlflow-artifacts:".length()) + "/reports/epoch 1/confusion matrix.bin";
        assertArrayEquals(content, rest.artifact(proxyPath));
        JsonNode listing = rest.get("artifacts/list", Map.of("run_id", stageId, "path", "reports/epoch 1"));
        assertEquals("reports/epoch 1/confusion matrix.bin", listing.get("files").get(0).get("path").asText());
        assertEquals(content.length, listing.get("files").get(0).get("file_size").asLong());
    }

    @Test
    void parentRunLookupIsIdempotentAndConverges() throws Exception {
        MlflowRest rest = new MlflowRest(MLFLOW.server().uri());
        String parentId;
        try (Tracker a = tracker(); Tracker b = tracker()) {
            parentId = a.startPipelineRun("vl-ltr-idem", "pipe-2").runId();
            assertEquals(parentId, a.startPipelineRun("vl-ltr-idem", "pipe-2").runId(), "same tracker, again");
            TrackedRun stage = b.startStageRun("vl-ltr-idem", "pipe-2", "cvlp"); // a retried process
            assertEquals(parentId, MlflowRest.keyValues(rest.run(stage.runId()).get("data").get("tags"))
                    .get(TrackingTags.PARENT_RUN_ID));
            stage.end(RunStatus.KILLED);
            assertEquals("KILLED", rest.run(stage.runId()).get("info").get("status").asText());
            assertNotEquals(parentId, b.startPipelineRun("vl-ltr-idem", "pipe-other").runId());

            // A leftover parent created later (e.g. by a create the HTTP client retried) does not win.
            String experimentId = a.getOrCreateExperiment("vl-ltr-idem");
            rest.post("runs/create", Map.of("experiment_id", experimentId, "start_time", System.currentTimeMillis(),
                    "tags", List.of(Map.of("key", TrackingTags.PIPELINE_RUN_ID, "value", "pipe-2"))));
            assertEquals(parentId, b.startPipelineRun("vl-ltr-idem", "pipe-2").runId());
        }

        // Two processes starting the same new pipeline run at the same moment settle on one parent.
        for (int round = 0; round < 2; round++) {
            String pipelineRunId = "pipe-race-" + round;
            CyclicBarrier barrier = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try (Tracker a = tracker(); Tracker b = tracker()) {
                Future<String> fa = pool.submit(() -> {
                    barrier.await();
                    return a.startStageRun("vl-ltr-race", pipelineRunId, "text-crawl").runId();
                });
                Future<String> fb = pool.submit(() -> {
                    barrier.await();
                    return b.startStageRun("vl-ltr-race", pipelineRunId, "cvlp").runId();
                });
                String parentA = MlflowRest.keyValues(rest.run(fa.get()).get("data").get("tags"))
                        .get(TrackingTags.PARENT_RUN_ID);
                String parentB = MlflowRest.keyValues(rest.run(fb.get()).get("data").get("tags"))
                        .get(TrackingTags.PARENT_RUN_ID);
                assertEquals(parentA, parentB, "both stages nest under one parent");
                String expId = a.getOrCreateExperiment("vl-ltr-race");
                JsonNode found = rest.post("runs/search", Map.of("experiment_ids", List.of(expId),
                        "filter", "tags.`vlltr.pipeline_run_id` = '" + pipelineRunId + "'", "run_view_type",
                        "ACTIVE_ONLY"));
                assertEquals(1, found.get("runs").size(), "exactly one active parent: " + found);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void duplicatesFromTheClientsRetriesAreDeleted() throws Exception {
        MlflowRest rest = new MlflowRest(MLFLOW.server().uri());
        try (FailAfterForwardProxy proxy = new FailAfterForwardProxy(MLFLOW.server().uri(), "/runs/create", 1);
                Tracker tracker = MlflowTracker.builder().setTrackingUri(proxy.uri())
                        .optCreateSettleTime(java.time.Duration.ZERO).build()) {
            String parentId = tracker.startPipelineRun("vl-ltr-flaky", "pipe-f").runId(); // parent create retried
            proxy.failNext(1);
            TrackedRun stage = tracker.startStageRun("vl-ltr-flaky", "pipe-f", "lgr"); // stage create retried
            assertEquals(2, proxy.injected(), "both creates hit a lost response and were retried by the client");
            stage.end(RunStatus.FINISHED);

            String expId = tracker.getOrCreateExperiment("vl-ltr-flaky");
            JsonNode active = rest.post("runs/search", Map.of("experiment_ids", List.of(expId),
                    "run_view_type", "ACTIVE_ONLY")).get("runs");
            assertEquals(2, active.size(), "one parent and one stage run stay active: " + active);
            JsonNode deleted = rest.post("runs/search", Map.of("experiment_ids", List.of(expId),
                    "run_view_type", "DELETED_ONLY")).get("runs");
            assertEquals(2, deleted.size(), "the two duplicates are deleted: " + deleted);
            assertEquals(parentId, MlflowRest.keyValues(rest.run(stage.runId()).get("data").get("tags"))
                    .get(TrackingTags.PARENT_RUN_ID));
            assertEquals("active", rest.run(parentId).get("info").get("lifecycle_stage").asText());
            assertEquals("FINISHED", rest.run(stage.runId()).get("info").get("status").asText());
        }
    }

    @Test
    void experimentCreationIsSharedAndArtifactsCopyToFileLocations() throws Exception {
        MlflowRest rest = new MlflowRest(MLFLOW.server().uri());
        Path artifactRoot = tmp.resolve("file-artifacts");
        String expId = rest.post("experiments/create", Map.of("name", "vl-ltr-file-artifacts",
                "artifact_location", LocalMlflowStore.fileUri(artifactRoot))).get("experiment_id").asText();
        try (Tracker tracker = tracker()) {
            assertEquals(expId, tracker.getOrCreateExperiment("vl-ltr-file-artifacts"));
            TrackedRun run = tracker.startRun("vl-ltr-file-artifacts", "copy", Map.of());
            Path file = Files.writeString(tmp.resolve("report.md"), "# report\n");
            run.logArtifact(file, "").end(RunStatus.FINISHED);
            String uri = rest.run(run.runId()).get("info").get("artifact_uri").asText();
            assertTrue(uri.startsWith("file:"), uri);
            assertEquals("# report\n", Files.readString(Paths.get(java.net.URI.create(uri)).resolve("report.md")));
        }
    }

    @Test
    void flushesLiveWithAZeroFlushInterval() throws Exception {
        MlflowRest rest = new MlflowRest(MLFLOW.server().uri());
        try (Tracker tracker = MlflowTracker.builder().setTrackingUri(MLFLOW.server().uri())
                .optFlushInterval(java.time.Duration.ZERO).build()) {
            TrackedRun run = tracker.startRun("vl-ltr-it", "live", Map.of());
            run.logMetric("epoch/loss", 0.75, 1, 1_790_000_000_000L);
            assertEquals(List.of(new MetricPoint("epoch/loss", 0.75, 1_790_000_000_000L, 1)),
                    rest.history(run.runId(), "epoch/loss"), "visible before end()");
            assertEquals("RUNNING", rest.run(run.runId()).get("info").get("status").asText());
            run.close(); // never ended explicitly
            assertEquals("FAILED", rest.run(run.runId()).get("info").get("status").asText());
        }
    }

    @Test
    void refusesChangedParamsAndBadKeysAtTheCall() throws Exception {
        try (Tracker tracker = tracker()) {
            TrackedRun run = tracker.startRun("vl-ltr-it", "bad-input", Map.of());
            run.logParam("lr", "0.1");
            IllegalArgumentException changed = assertThrows(IllegalArgumentException.class,
                    () -> run.logParam("lr", "0.2"));
            assertTrue(changed.getMessage().contains("'lr'") && changed.getMessage().contains("write-once"),
                    changed.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> run.logMetric("acc@1", 0.5, 0));
            assertTrue(bad.getMessage().contains("acc@1"), bad.getMessage());
            assertThrows(IllegalArgumentException.class, () -> run.logMetric("../escape", 0.5, 0));
            run.end(RunStatus.FINISHED);
            assertEquals(Map.of("lr", "0.1"), MlflowRest.keyValues(new MlflowRest(MLFLOW.server().uri())
                    .run(run.runId()).get("data").get("params")));
        }
    }
}
