package dev.vlltr.runtime.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vlltr.runtime.testing.MlflowServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalMlflowStore}: the file layout itself, and the real MLflow Python client reading it back. */
class LocalMlflowStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_790_000_000_000L;

    @TempDir
    Path tmp;

    /** What the Java side logged for one run, to compare with what Python reads. */
    private record Logged(String runId, String name, String status, Map<String, String> params,
            Map<String, String> tags, List<MetricPoint> metrics) {
    }

    private static final String READ_BACK = String.join("\n",
            "import json, os, hashlib, tempfile, mlflow",
            "from mlflow import MlflowClient",
            "mlflow.set_tracking_uri(os.environ['VLLTR_STORE_URI'])",
            "c = MlflowClient()",
            "out = {'experiments': {e.experiment_id: e.name for e in c.search_experiments()}, 'runs': {}}",
            "runs = mlflow.search_runs(experiment_names=[os.environ['VLLTR_EXPERIMENT']], output_format='list')",
            "for r in runs:",
            "    i = r.info",
            "    hist = {k: [[m.timestamp, repr(m.value), m.step] for m in c.get_metric_history(i.run_id, k)]",
            "            for k in r.data.metrics}",
            "    arts = []",
            "    def walk(path):",
            "        for f in c.list_artifacts(i.run_id, path):",
            "            if f.is_dir:",
            "                walk(f.path)",
            "            else:",
            "                local = mlflow.artifacts.download_artifacts(run_id=i.run_id, artifact_path=f.path,",
            "                                                            dst_path=tempfile.mkdtemp())",
            "                arts.append([f.path, f.file_size, hashlib.sha256(open(local, 'rb').read()).hexdigest()])",
            "    walk(None)",
            "    out['runs'][i.run_id] = {'name': i.run_name, 'status': i.status, 'start': i.start_time,",
            "        'end': i.end_time, 'user': i.user_id, 'lifecycle': i.lifecycle_stage,",
            "        'artifact_uri': i.artifact_uri, 'experiment_id': i.experiment_id, 'params': r.data.params,",
            "        'tags': r.data.tags, 'latest': {k: repr(v) for k, v in r.data.metrics.items()},",
            "        'history': hist, 'artifacts': sorted(arts)}",
            "df = mlflow.search_runs(experiment_names=[os.environ['VLLTR_EXPERIMENT']])",
            "out['dataframe_rows'] = len(df)",
            "if os.environ.get('VLLTR_MIGRATE_TO'):",
            "    from pathlib import Path",
            "    from mlflow.store.fs2db import migrate",
            "    migrate(Path(os.environ['VLLTR_STORE_DIR']), os.environ['VLLTR_MIGRATE_TO'], progress=False)",
            "    mlflow.set_tracking_uri(os.environ['VLLTR_MIGRATE_TO'])",
            "    c = MlflowClient()",
            "    out['migrated'] = {r.info.run_id: {'status': r.info.status, 'params': r.data.params,",
            "        'tags': r.data.tags, 'history': {k: [[m.timestamp, repr(m.value), m.step]",
            "            for m in c.get_metric_history(r.info.run_id, k)] for k in r.data.metrics}}",
            "        for r in mlflow.search_runs(experiment_names=[os.environ['VLLTR_EXPERIMENT']], output_format='list')}",
            "print(json.dumps(out))");

    static JsonNode readWithPython(Path root, String experiment) throws Exception {
        return readWithPython(root, experiment, null);
    }

    /** Reads the store with MLflow's Python client; with {@code migrateTo}, also migrates it there and reads that. */
    static JsonNode readWithPython(Path root, String experiment, Path migrateTo) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(Map.of("MLFLOW_ALLOW_FILE_STORE", "true",
                "VLLTR_STORE_URI", LocalMlflowStore.fileUri(root), "VLLTR_EXPERIMENT", experiment,
                "VLLTR_STORE_DIR", root.toString()));
        if (migrateTo != null) {
            env.put("VLLTR_MIGRATE_TO", "sqlite:///" + migrateTo.toAbsolutePath());
        }
        String stdout = MlflowServer.runPython(READ_BACK, env, Duration.ofSeconds(120));
        String last = stdout.strip().lines().reduce((a, b) -> b).orElseThrow();
        return JSON.readTree(last);
    }

    private static double pythonFloat(String repr) {
        return switch (repr) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(repr);
        };
    }

    @Test
    void mlflowPythonReadsWhatTheStoreWrote() throws Exception {
        MlflowServer.requirePython();
        Path root = tmp.resolve("mlruns");
        Random rnd = new Random(11);
        byte[] content = new byte[50_000];
        rnd.nextBytes(content);
        Path artifact = Files.write(tmp.resolve("per class.csv"), content);
        String user = System.getProperty("user.name");

        List<Logged> logged = new ArrayList<>();
        String parentId;
        try (Tracker store = LocalMlflowStore.open(root, "LocalMlflowStoreTest")) {
            TrackedRun parent = store.startPipelineRun("vl-ltr-local", "manual__2026-11-23T06:00:00+00:00");
            parentId = parent.runId();

            TrackedRun cvlp = store.startStageRun("vl-ltr-local", "manual__2026-11-23T06:00:00+00:00", "cvlp");
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < 130; i++) {
                params.put("grid/p" + i, Integer.toString(i * 7));
            }
            params.put("text", "Zürich 東京 — tail\nsecond line");
            params.put("git sha", "0123456789abcdef");
            params.put("empty", "");
            Map<String, String> tags = Map.of("dataset", "fashion-mnist-lt", "note", "it's \"quoted\"");
            List<MetricPoint> metrics = new ArrayList<>();
            double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
                Double.MIN_VALUE, Double.MAX_VALUE, 0.1, 1e-300, 1.0 / 3, 0.25};
            for (int i = 0; i < special.length; i++) {
                metrics.add(new MetricPoint("special", special[i], T0 + i, i));
            }
            for (int i = 0; i < 1500; i++) {
                metrics.add(new MetricPoint("train/loss", rnd.nextGaussian(), T0 + 100 + i, (1L << 40) + i));
            }
            metrics.add(new MetricPoint("val/top1", 0.5, T0 + 5, 3));
            metrics.add(new MetricPoint("val/top1", 0.7, T0 + 9, 3)); // same step, later: the "latest"
            metrics.add(new MetricPoint("val/top1", 0.6, T0 + 7, 3));
            cvlp.logParams(params).setTags(tags);
            metrics.forEach(m -> cvlp.logMetric(m.key(), m.value(), m.step(), m.timestamp()));
            cvlp.logArtifact(artifact, "eval/epoch 3");
            Path plots = Files.createDirectories(tmp.resolve("plots/sub"));
            Files.writeString(tmp.resolve("plots/a.txt"), "a");
            Files.writeString(plots.resolve("b.txt"), "bb");
            cvlp.logArtifacts(tmp.resolve("plots"), "figures/");
            cvlp.end(RunStatus.FINISHED);
            Map<String, String> cvlpTags = new LinkedHashMap<>(tags);
            cvlpTags.putAll(stageTags("cvlp", parentId, "manual__2026-11-23T06:00:00+00:00", user));
            logged.add(new Logged(cvlp.runId(), "cvlp", "FINISHED", params, cvlpTags, metrics));

            TrackedRun lgr = store.startStageRun("vl-ltr-local", "manual__2026-11-23T06:00:00+00:00", "lgr");
            lgr.logParam("lr", "3e-4").logMetric("loss", 2.5, 0, T0);
            lgr.close(); // never ended explicitly: FAILED
            logged.add(new Logged(lgr.runId(), "lgr", "FAILED", Map.of("lr", "3e-4"),
                    stageTags("lgr", parentId, "manual__2026-11-23T06:00:00+00:00", user),
                    List.of(new MetricPoint("loss", 2.5, T0, 0))));
            // the parent stays RUNNING: the orchestrator ends it
        }

        JsonNode out = readWithPython(root, "vl-ltr-local", tmp.resolve("migrated.db"));
        assertEquals("Default", out.get("experiments").get("0").asText());
        JsonNode runs = out.get("runs");
        assertEquals(3, runs.size(), runs.toString());
        assertEquals(3, out.get("dataframe_rows").asInt());

        JsonNode parent = runs.get(parentId);
        assertEquals("RUNNING", parent.get("status").asText());
        assertTrue(parent.get("end").isNull());
        assertEquals("manual__2026-11-23T06:00:00+00:00", parent.get("tags").get(TrackingTags.PIPELINE_RUN_ID).asText());

        for (Logged l : logged) {
            JsonNode r = runs.get(l.runId());
            assertEquals(l.name(), r.get("name").asText());
            assertEquals(l.status(), r.get("status").asText());
            assertEquals(user, r.get("user").asText());
            assertEquals("active", r.get("lifecycle").asText());
            assertTrue(r.get("end").asLong() >= r.get("start").asLong());
            assertEquals(l.params(), JSON.convertValue(r.get("params"), Map.class), "params of " + l.name());
            assertEquals(l.tags(), JSON.convertValue(r.get("tags"), Map.class), "tags of " + l.name());

            Map<String, List<MetricPoint>> byKey = l.metrics().stream()
                    .collect(Collectors.groupingBy(MetricPoint::key, LinkedHashMap::new, Collectors.toList()));
            Set<String> historyKeys = new HashSet<>();
            r.get("history").fieldNames().forEachRemaining(historyKeys::add);
            assertEquals(byKey.keySet(), historyKeys);
            for (Map.Entry<String, List<MetricPoint>> e : byKey.entrySet()) {
                List<MetricPoint> actual = new ArrayList<>();
                r.get("history").get(e.getKey()).forEach(p -> actual.add(new MetricPoint(e.getKey(),
                        pythonFloat(p.get(1).asText()), p.get(0).asLong(), p.get(2).asLong())));
                assertEquals(e.getValue(), actual, "history of " + e.getKey()); // exact doubles, NaN included
                MetricPoint latest = e.getValue().stream().max(Comparator.comparingLong(MetricPoint::step)
                        .thenComparingLong(MetricPoint::timestamp).thenComparingDouble(MetricPoint::value)).orElseThrow();
                assertEquals(Double.doubleToLongBits(latest.value()),
                        Double.doubleToLongBits(pythonFloat(r.get("latest").get(e.getKey()).asText())),
                        "latest " + e.getKey());
            }
        }
        // `mlflow migrate-filestore` (the path to a database backend) carries everything over unchanged
        JsonNode migrated = out.get("migrated");
        assertEquals(3, migrated.size(), migrated.toString());
        for (Logged l : logged) {
            JsonNode m = migrated.get(l.runId());
            JsonNode r = runs.get(l.runId());
            assertEquals(l.status(), m.get("status").asText());
            assertEquals(r.get("params"), m.get("params"), "migrated params of " + l.name());
            assertEquals(r.get("tags"), m.get("tags"), "migrated tags of " + l.name());
            Map<String, List<String>> fileHistory = sortedHistory(r.get("history"));
            Map<String, List<String>> dbHistory = sortedHistory(m.get("history"));
            assertEquals(fileHistory.keySet(), dbHistory.keySet());
            fileHistory.forEach((key, filePts) -> {
                // MLflow's SQL store itself clamps +-inf to +-Double.MAX_VALUE and stores -0.0 as 0.0
                List<String> pts = filePts.stream().map(p -> p.replaceAll(" inf$", " 1.7976931348623157e+308")
                        .replaceAll(" -inf$", " -1.7976931348623157e+308").replaceAll(" -0\\.0$", " 0.0")).toList();
                List<String> diff = new ArrayList<>(pts);
                diff.removeAll(dbHistory.get(key));
                List<String> extra = new ArrayList<>(dbHistory.get(key));
                extra.removeAll(pts);
                assertTrue(diff.isEmpty() && extra.isEmpty(), "migrated history of " + key + ": only in the file"
                        + " store " + diff + ", only in the database " + extra);
            });
        }

        JsonNode cvlpRun = runs.get(logged.get(0).runId());
        assertEquals(0.7, pythonFloat(cvlpRun.get("latest").get("val/top1").asText()));
        JsonNode art = cvlpRun.get("artifacts");
        assertEquals(3, art.size(), art.toString());
        assertEquals("eval/epoch 3/per class.csv", art.get(0).get(0).asText());
        assertEquals("figures/a.txt", art.get(1).get(0).asText());
        assertEquals(1, art.get(1).get(1).asLong());
        assertEquals("figures/sub/b.txt", art.get(2).get(0).asText());
        assertEquals(2, art.get(2).get(1).asLong());
        assertEquals(content.length, art.get(0).get(1).asLong());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
                art.get(0).get(2).asText());
        assertEquals(LocalMlflowStore.fileUri(root) + "/" + cvlpRun.get("experiment_id").asText() + "/"
                + logged.get(0).runId() + "/artifacts", cvlpRun.get("artifact_uri").asText());
    }

    /** key → points as "step timestamp value" strings, sorted: comparable whatever order a backend returns. */
    private static Map<String, List<String>> sortedHistory(JsonNode history) {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        history.fields().forEachRemaining(e -> {
            List<String> pts = new ArrayList<>();
            e.getValue().forEach(p -> pts.add(p.get(2).asLong() + " " + p.get(0).asLong() + " " + p.get(1).asText()));
            pts.sort(null);
            out.put(e.getKey(), pts);
        });
        return out;
    }

    private static Map<String, String> stageTags(String stage, String parentId, String pipelineRunId, String user) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put(TrackingTags.RUN_NAME, stage);
        t.put(TrackingTags.USER, user);
        t.put(TrackingTags.SOURCE_NAME, "LocalMlflowStoreTest");
        t.put(TrackingTags.SOURCE_TYPE, "LOCAL");
        t.put(TrackingTags.PARENT_RUN_ID, parentId);
        t.put(TrackingTags.STAGE, stage);
        t.put(TrackingTags.RUN_ID, pipelineRunId);
        return t;
    }

    @Test
    void writesTheFileStoreLayoutExactly() throws Exception {
        Path root = tmp.resolve("mlruns");
        String runId;
        String expId;
        try (Tracker store = LocalMlflowStore.open(root, "layout")) {
            expId = store.getOrCreateExperiment("layout");
            assertEquals("1", expId);
            TrackedRun run = store.startRun("layout", "r1", Map.of("k", "v"));
            runId = run.runId();
            run.logParam("lr", "0.1").logMetric("a/b", 1.0E-4, 2, 1000L).logMetric("a/b", Double.NaN, 3, 1001L);
            run.end(RunStatus.FINISHED);
        }
        YAMLMapper yaml = new YAMLMapper();
        Map<?, ?> def = yaml.readValue(root.resolve("0/meta.yaml").toFile(), Map.class);
        assertEquals(Set.of("artifact_location", "creation_time", "experiment_id", "last_update_time",
                "lifecycle_stage", "name"), def.keySet());
        assertEquals("0", def.get("experiment_id"));
        assertEquals("Default", def.get("name"));
        assertEquals(LocalMlflowStore.fileUri(root.resolve("0")), def.get("artifact_location"));
        assertTrue(Files.isDirectory(root.resolve(".trash")));

        Path runDir = root.resolve(expId).resolve(runId);
        assertTrue(runId.matches("[0-9a-f]{32}"), runId);
        Map<?, ?> meta = yaml.readValue(runDir.resolve("meta.yaml").toFile(), Map.class);
        assertEquals(new TreeSet<>(List.of("artifact_uri", "deleted_time", "end_time", "entry_point_name",
                "experiment_id", "lifecycle_stage", "run_id", "run_name", "run_uuid", "source_name", "source_type",
                "source_version", "start_time", "status", "tags", "user_id")), new TreeSet<>(meta.keySet()));
        assertEquals(3, meta.get("status"));
        assertEquals(4, meta.get("source_type"));
        assertEquals("1", meta.get("experiment_id"));
        assertEquals(runId, meta.get("run_uuid"));
        assertEquals(List.of(), meta.get("tags"));
        assertEquals("", meta.get("entry_point_name"));
        assertTrue(meta.get("deleted_time") == null && meta.containsKey("deleted_time"));
        assertEquals(LocalMlflowStore.fileUri(runDir.resolve("artifacts")), meta.get("artifact_uri"));
        // keys sorted as PyYAML writes them
        List<String> lines = Files.readAllLines(runDir.resolve("meta.yaml"));
        List<String> keys = lines.stream().map(l -> l.substring(0, l.indexOf(':'))).toList();
        assertEquals(keys.stream().sorted().toList(), keys);

        assertEquals("1000 1.0E-4 2\n1001 NaN 3\n", Files.readString(runDir.resolve("metrics/a/b")));
        assertEquals("0.1", Files.readString(runDir.resolve("params/lr"))); // no trailing newline
        assertEquals("r1", Files.readString(runDir.resolve("tags/mlflow.runName")));
        assertEquals("v", Files.readString(runDir.resolve("tags/k")));
        for (String sub : List.of("metrics", "params", "artifacts", "tags")) {
            assertTrue(Files.isDirectory(runDir.resolve(sub)), sub);
        }
        try (Stream<Path> all = Files.walk(root)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "temp files left");
        }
    }

    @Test
    void parentLookupIsIdempotentAcrossInstancesAndThreads() throws Exception {
        Path root = tmp.resolve("mlruns");
        String parentId;
        try (Tracker a = LocalMlflowStore.open(root)) {
            parentId = a.startPipelineRun("idem", "pipe-1").runId();
            assertEquals(parentId, a.startPipelineRun("idem", "pipe-1").runId());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CyclicBarrier barrier = new CyclicBarrier(4);
        try {
            List<Future<String[]>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    try (Tracker t = LocalMlflowStore.open(root)) {
                        barrier.await();
                        String again = t.startPipelineRun("idem", "pipe-1").runId();
                        String fresh = t.startPipelineRun("idem", "pipe-threads").runId();
                        String exp = t.getOrCreateExperiment("idem-new");
                        t.startStageRun("idem-new", "pipe-x", "s" + n).end(RunStatus.FINISHED);
                        return new String[] {again, fresh, exp};
                    }
                }));
            }
            Set<String> fresh = new HashSet<>();
            Set<String> exps = new HashSet<>();
            for (Future<String[]> f : results) {
                String[] r = f.get();
                assertEquals(parentId, r[0]);
                fresh.add(r[1]);
                exps.add(r[2]);
            }
            assertEquals(1, fresh.size(), "one parent for a pipeline run created from 4 threads: " + fresh);
            assertEquals(1, exps.size(), "one experiment for a name created from 4 threads: " + exps);
        } finally {
            pool.shutdownNow();
        }
        try (LocalMlflowStore store = LocalMlflowStore.open(root)) {
            String exp = store.getOrCreateExperiment("idem-new");
            assertEquals(1, store.findActiveRuns(exp, TrackingTags.PIPELINE_RUN_ID, "pipe-x").size());
            assertEquals(4, store.findActiveRuns(exp, TrackingTags.RUN_ID, "pipe-x").size());
        }
    }

    @Test
    void twoProcessesWriteRunsOfOneExperiment() throws Exception {
        Path root = tmp.resolve("mlruns");
        Path go = tmp.resolve("go");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> procs = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (String stage : List.of("recal-crt", "recal-tau")) {
            Path out = tmp.resolve(stage + ".out");
            outs.add(out);
            procs.add(new ProcessBuilder(javaBin, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                    LocalStoreWriterMain.class.getName(), root.toString(), go.toString(), stage, "2500")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start());
        }
        Thread.sleep(300);
        Files.createFile(go);
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < procs.size(); i++) {
            assertTrue(procs.get(i).waitFor(90, TimeUnit.SECONDS), "writer timed out");
            String out = Files.readString(outs.get(i), StandardCharsets.UTF_8);
            assertEquals(0, procs.get(i).exitValue(), out);
            runIds.add(out.strip().lines().reduce((a, b) -> b).orElseThrow());
        }
        try (LocalMlflowStore store = LocalMlflowStore.open(root)) {
            String exp = store.getOrCreateExperiment("vl-ltr-concurrent");
            List<Path> expDirs;
            try (Stream<Path> s = Files.list(root)) {
                expDirs = s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isDirectory(p)).toList();
            }
            assertEquals(2, expDirs.size(), "Default + one experiment: " + expDirs);
            List<AbstractTracker.RunSummary> parents = store.findActiveRuns(exp, TrackingTags.PIPELINE_RUN_ID,
                    "pipe-concurrent");
            assertEquals(1, parents.size(), "one parent run");
            for (String runId : runIds) {
                Path runDir = root.resolve(exp).resolve(runId);
                assertEquals(parents.get(0).runId(), Files.readString(runDir.resolve("tags/mlflow.parentRunId")));
                assertEquals(2500, Files.readAllLines(runDir.resolve("metrics/loss")).size());
                try (Stream<Path> p = Files.list(runDir.resolve("params"))) {
                    assertEquals(120, p.count());
                }
            }
        }
        if (MlflowServer.python().isPresent()) {
            JsonNode out = readWithPython(root, "vl-ltr-concurrent");
            assertEquals(3, out.get("runs").size());
            for (String runId : runIds) {
                assertEquals(2500, out.get("runs").get(runId).get("history").get("loss").size());
                assertEquals("FINISHED", out.get("runs").get(runId).get("status").asText());
            }
        }
    }

    @Test
    void refusesBadInputWithClearMessages() {
        Path root = tmp.resolve("mlruns");
        try (Tracker store = LocalMlflowStore.open(root)) {
            TrackedRun run = store.startRun("bad", "r", Map.of());
            run.logParam("lr", "0.1");
            run.flush();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run.logParam("lr", "1"));
            assertTrue(e.getMessage().contains("'lr'"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> run.logMetric("", 1, 0));
            assertThrows(IllegalArgumentException.class, () -> run.logMetric("a//b", 1, 0));
            assertThrows(IllegalArgumentException.class, () -> run.setTag("x".repeat(251), "v"));
            assertThrows(IllegalArgumentException.class, () -> run.logParam("big", "x".repeat(6001)));
            assertThrows(IllegalArgumentException.class, () -> run.logArtifact(root.resolve("missing.txt"), ""));
            assertThrows(IllegalArgumentException.class, () -> run.logArtifact(root.resolve("0/meta.yaml"), "../up"));
            run.end(RunStatus.KILLED);
            assertThrows(IllegalStateException.class, () -> run.logMetric("m", 1, 0));
        }
    }
}
