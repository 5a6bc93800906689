package dev.vlltr.runtime.tracking;

import dev.vlltr.runtime.tracking.FileStoreMeta.ExperimentMeta;
import dev.vlltr.runtime.tracking.FileStoreMeta.RunMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes MLflow's file-store layout ({@code mlruns/}) directly, so that {@code mlflow ui --backend-store-uri <dir>}
 * and Python's {@code mlflow.search_runs} read it (MLflow ≥ 3.13 wants {@code MLFLOW_ALLOW_FILE_STORE=true}).
 *
 * <pre>
 * root/0/meta.yaml                          "Default" experiment, created with the root
 * root/.trash/
 * root/&lt;exp&gt;/meta.yaml                       experiment ids 1, 2, ... (numeric strings)
 * root/&lt;exp&gt;/&lt;run&gt;/meta.yaml                 every field Python's FileStore writes; status as an int code
 * root/&lt;exp&gt;/&lt;run&gt;/params/&lt;key&gt;             the value, no trailing newline
 * root/&lt;exp&gt;/&lt;run&gt;/metrics/&lt;key&gt;            one "&lt;timestamp_ms&gt; &lt;value&gt; &lt;step&gt;" line per point
 * root/&lt;exp&gt;/&lt;run&gt;/tags/&lt;key&gt;               incl. mlflow.runName, mlflow.user, mlflow.source.name
 * root/&lt;exp&gt;/&lt;run&gt;/artifacts/...             artifact_uri = file:///abs/root/&lt;exp&gt;/&lt;run&gt;/artifacts
 * </pre>
 * Keys containing {@code /} become sub-directories, as in MLflow. Every file is written to a temp file in the run
 * directory and renamed into place, so a concurrent reader (the UI) never sees a half-written file; a run's
 * {@code meta.yaml} is written after its directories, so a half-created run is skipped by readers.
 *
 * <p>Several processes may write different runs of the same store at once: creating an experiment or a pipeline's
 * parent run happens under an exclusive lock on {@code root/.vlltr-store.lock} (a file, which MLflow ignores), so a
 * name maps to one experiment and a pipeline run id to one parent. Each run is written by the process that created it.
 * This is an offline/test store; a tracking server is the primary backend (see {@link MlflowTracker}).
 */
public final class LocalMlflowStore extends AbstractTracker {
    static final String TRASH = ".trash";
    static final String LOCK_FILE = ".vlltr-store.lock";
    /** Experiment sub-folders that are not runs ({@code FileStore.RESERVED_EXPERIMENT_FOLDERS}). */
    private static final Set<String> RESERVED = Set.of("tags", "datasets", "traces", "models");
    private static final Logger LOG = LoggerFactory.getLogger(LocalMlflowStore.class);
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final ReentrantLock jvmLock;
    private final Map<String, Path> runDirs = new ConcurrentHashMap<>();

    private LocalMlflowStore(Path root, String sourceName) {
        super(sourceName);
        this.root = root.toAbsolutePath().normalize();
        this.jvmLock = JVM_LOCKS.computeIfAbsent(this.root, r -> new ReentrantLock());
        try {
            Files.createDirectories(this.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the MLflow file store directory " + this.root, e);
        }
        withStoreLock(() -> {
            io(() -> {
                Files.createDirectories(this.root.resolve(TRASH));
                if (!Files.exists(this.root.resolve("0").resolve(FileStoreMeta.FILE_NAME))) {
                    writeExperiment("0", "Default");
                }
            }, "initializing the MLflow file store at " + this.root);
            return null;
        });
    }

    /** Opens (creating if needed) a store at {@code root}; the source tag is the Java main class. */
    public static LocalMlflowStore open(Path root) {
        return new LocalMlflowStore(root, null);
    }

    /** Opens (creating if needed) a store at {@code root} with an explicit {@value TrackingTags#SOURCE_NAME}. */
    public static LocalMlflowStore open(Path root, String sourceName) {
        return new LocalMlflowStore(root, sourceName);
    }

    /**
     * Sets how old buffered data may get before the next logging call writes it (default {@link
     * #DEFAULT_FLUSH_INTERVAL}; zero writes on every call). Returns this store.
     */
    public LocalMlflowStore optFlushInterval(Duration interval) {
        setFlushInterval(interval);
        return this;
    }

    /** The store's root directory (what {@code --backend-store-uri} points at). */
    public Path root() {
        return root;
    }

    @Override
    public String uri() {
        return fileUri(root);
    }

    // ---- experiments -----------------------------------------------------------------------------------------------

    @Override
    public String getOrCreateExperiment(String experimentName) {
        requireText("experiment name", experimentName);
        Optional<String> found = findExperiment(experimentName);
        if (found.isPresent()) {
            return found.get();
        }
        return withStoreLock(() -> findExperiment(experimentName).orElseGet(() -> createExperiment(experimentName)));
    }

    private Optional<String> findExperiment(String name) {
        return io(() -> {
            for (Path dir : experimentDirs(root.resolve(TRASH))) {
                Optional<Map<String, Object>> meta = FileStoreMeta.read(dir.resolve(FileStoreMeta.FILE_NAME));
                if (meta.isPresent() && name.equals(String.valueOf(meta.get().get("name")))) {
                    throw new IllegalStateException("MLflow experiment '" + name + "' in " + root + " is deleted"
                            + " (in .trash); restore it or choose another experiment name");
                }
            }
            for (Path dir : experimentDirs(root)) {
                Optional<Map<String, Object>> meta = FileStoreMeta.read(dir.resolve(FileStoreMeta.FILE_NAME));
                if (meta.isPresent() && name.equals(String.valueOf(meta.get().get("name")))) {
                    ExperimentMeta exp = ExperimentMeta.parse(meta.get(), dir.resolve(FileStoreMeta.FILE_NAME));
                    if (!FileStoreMeta.ACTIVE.equals(exp.lifecycleStage())) {
                        throw new IllegalStateException("MLflow experiment '" + name + "' in " + root + " is "
                                + exp.lifecycleStage() + "; restore it or choose another experiment name");
                    }
                    return Optional.of(exp.experimentId());
                }
            }
            return Optional.empty();
        }, "searching experiments in " + root);
    }

    /** Allocates the next numeric id with an atomic directory create (also safe against a foreign writer). */
    private String createExperiment(String name) {
        return io(() -> {
            long next = 1;
            for (Path base : List.of(root, root.resolve(TRASH))) {
                for (Path dir : experimentDirs(base)) {
                    try {
                        next = Math.max(next, Long.parseLong(dir.getFileName().toString()) + 1);
                    } catch (NumberFormatException notNumeric) {
                        // not one of ours: MLflow only needs ids to be unique strings
                    }
                }
            }
            while (true) {
                String id = Long.toString(next);
                try {
                    Files.createDirectory(root.resolve(id));
                    writeExperiment(id, name);
                    return id;
                } catch (FileAlreadyExistsException taken) {
                    next++;
                }
            }
        }, "creating experiment '" + name + "' in " + root);
    }

    private void writeExperiment(String id, String name) throws IOException {
        Path dir = root.resolve(id);
        Files.createDirectories(dir);
        long now = System.currentTimeMillis();
        ExperimentMeta meta = new ExperimentMeta(fileUri(dir), now, id, now, FileStoreMeta.ACTIVE, name);
        AtomicFiles.write(dir.resolve(FileStoreMeta.FILE_NAME), utf8(meta.render()), dir);
    }

    private ExperimentMeta experiment(String experimentId) throws IOException {
        Path file = root.resolve(experimentId).resolve(FileStoreMeta.FILE_NAME);
        return ExperimentMeta.parse(FileStoreMeta.read(file).orElseThrow(() -> new IllegalArgumentException(
                "MLflow experiment " + experimentId + " does not exist in " + root)), file);
    }

    private static List<Path> experimentDirs(Path base) throws IOException {
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base, p -> Files.isDirectory(p)
                && !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals("models"))) {
            ds.forEach(dirs::add);
        }
        return dirs;
    }

    // ---- runs -------------------------------------------------------------------------------------------------------

    @Override
    protected List<RunSummary> findActiveRuns(String experimentId, String tagKey, String tagValue) {
        MlflowLimits.checkKey("tag", tagKey);
        return io(() -> {
            Path expDir = root.resolve(experimentId);
            List<RunSummary> runs = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(expDir, Files::isDirectory)) {
                for (Path runDir : ds) {
                    String name = runDir.getFileName().toString();
                    if (RESERVED.contains(name) || name.startsWith(".")) {
                        continue;
                    }
                    RunMeta run;
                    try {
                        Optional<Map<String, Object>> meta = FileStoreMeta.read(runDir.resolve(FileStoreMeta.FILE_NAME));
                        if (meta.isEmpty()) {
                            continue; // being created, or not a run
                        }
                        run = RunMeta.parse(meta.get(), runDir.resolve(FileStoreMeta.FILE_NAME));
                    } catch (IOException | RuntimeException malformed) {
                        // as MLflow does: one broken run must not hide the others
                        LOG.warn("skipping malformed run directory {}: {}", runDir, malformed.toString());
                        continue;
                    }
                    Path tagFile = runDir.resolve("tags").resolve(tagKey);
                    if (FileStoreMeta.ACTIVE.equals(run.lifecycleStage()) && Files.isRegularFile(tagFile)
                            && tagValue.equals(Files.readString(tagFile, StandardCharsets.UTF_8))) {
                        runs.add(new RunSummary(run.runId(), run.startTime(), readTags(runDir.resolve("tags"))));
                    }
                }
            }
            return runs;
        }, "searching runs of experiment " + experimentId + " in " + root);
    }

    private static Map<String, String> readTags(Path tagsDir) throws IOException {
        Map<String, String> tags = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(tagsDir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                tags.put(tagsDir.relativize(f).toString().replace('\\', '/'), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return tags;
    }

    @Override
    protected String createRun(String experimentId, String runName, long startTime, Map<String, String> tags) {
        return io(() -> {
            ExperimentMeta exp = experiment(experimentId);
            if (!FileStoreMeta.ACTIVE.equals(exp.lifecycleStage())) {
                throw new IllegalStateException("cannot create a run in " + exp.lifecycleStage() + " experiment "
                        + experimentId + " of " + root);
            }
            String runId = UUID.randomUUID().toString().replace("-", "");
            Path runDir = root.resolve(experimentId).resolve(runId);
            Files.createDirectory(runDir);
            for (String sub : List.of("metrics", "params", "artifacts", "tags")) {
                Files.createDirectory(runDir.resolve(sub));
            }
            for (Map.Entry<String, String> t : tags.entrySet()) {
                AtomicFiles.write(runDir.resolve("tags").resolve(t.getKey()), utf8(t.getValue()), runDir);
            }
            String artifactUri = exp.artifactLocation() + "/" + runId + "/artifacts";
            RunMeta meta = new RunMeta(artifactUri, null, null, experimentId, FileStoreMeta.ACTIVE, runId, runName,
                    startTime, RunStatus.RUNNING.fileStoreCode(), user());
            writeRunMeta(runDir, meta);
            runDirs.put(runId, runDir);
            return runId;
        }, "creating a run in experiment " + experimentId + " of " + root);
    }

    @Override
    protected void deleteRun(String runId) {
        io(() -> {
            Path dir = runDir(runId);
            writeRunMeta(dir, readRunMeta(dir).deleted(System.currentTimeMillis()));
        }, "deleting run " + runId);
    }

    @Override
    protected void logBatch(String runId, MlflowLimits.Batch batch) {
        io(() -> {
            Path dir = runDir(runId);
            for (Map.Entry<String, String> p : batch.params().entrySet()) {
                Path file = dir.resolve("params").resolve(p.getKey());
                if (Files.exists(file)) {
                    String old = Files.readString(file, StandardCharsets.UTF_8);
                    if (!old.equals(p.getValue())) {
                        throw new IllegalArgumentException("param '" + p.getKey() + "' of run " + runId + " is already"
                                + " '" + old + "'; cannot change it to '" + p.getValue() + "' (MLflow params are"
                                + " write-once)");
                    }
                    continue;
                }
                AtomicFiles.write(file, utf8(p.getValue()), dir);
            }
            for (Map.Entry<String, String> t : batch.tags().entrySet()) {
                AtomicFiles.write(dir.resolve("tags").resolve(t.getKey()), utf8(t.getValue()), dir);
            }
            Map<String, StringBuilder> lines = new LinkedHashMap<>();
            for (MetricPoint m : batch.metrics()) {
                lines.computeIfAbsent(m.key(), k -> new StringBuilder())
                        .append(m.timestamp()).append(' ').append(metricValue(m.value())).append(' ')
                        .append(m.step()).append('\n');
            }
            for (Map.Entry<String, StringBuilder> e : lines.entrySet()) {
                AtomicFiles.append(dir.resolve("metrics").resolve(e.getKey()), utf8(e.getValue().toString()), dir);
            }
        }, "logging to run " + runId + " in " + root);
    }

    /** Java's shortest round-trip form; Python's {@code float()} parses it, NaN and Infinity included. */
    static String metricValue(double v) {
        return Double.toString(v);
    }

    @Override
    protected void logArtifact(String runId, Path file, String artifactDir) {
        io(() -> {
            Path dir = runDir(runId);
            URI artifactUri = URI.create(readRunMeta(dir).artifactUri());
            if (!"file".equals(artifactUri.getScheme())) {
                throw new IllegalStateException("run " + runId + " has artifact_uri " + artifactUri
                        + "; the local store only writes file: artifact locations");
            }
            Path target = Paths.get(artifactUri).resolve(artifactPath(artifactDir, file));
            AtomicFiles.copy(file, target, dir);
        }, "logging artifact " + file + " to run " + runId);
    }

    @Override
    protected void terminate(String runId, RunStatus status, long endTime) {
        io(() -> {
            Path dir = runDir(runId);
            writeRunMeta(dir, readRunMeta(dir).withStatus(status, endTime));
        }, "ending run " + runId);
    }

    @Override
    protected <T> T underCreateLock(String experimentId, Supplier<T> action) {
        return withStoreLock(action);
    }

    @Override
    protected void closeStorage() {
        runDirs.clear();
    }

    private Path runDir(String runId) throws IOException {
        Path cached = runDirs.get(runId);
        if (cached != null) {
            return cached;
        }
        for (Path exp : experimentDirs(root)) {
            Path candidate = exp.resolve(runId);
            if (Files.isRegularFile(candidate.resolve(FileStoreMeta.FILE_NAME))) {
                runDirs.put(runId, candidate);
                return candidate;
            }
        }
        throw new IllegalArgumentException("run " + runId + " does not exist in the MLflow file store " + root);
    }

    private static RunMeta readRunMeta(Path runDir) throws IOException {
        Path file = runDir.resolve(FileStoreMeta.FILE_NAME);
        return RunMeta.parse(FileStoreMeta.read(file).orElseThrow(() -> new IllegalStateException(file
                + " is missing")), file);
    }

    private static void writeRunMeta(Path runDir, RunMeta meta) throws IOException {
        AtomicFiles.write(runDir.resolve(FileStoreMeta.FILE_NAME), utf8(meta.render()), runDir);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /**
     * Runs {@code action} holding this store's lock: a JVM-wide lock per root (two {@code LocalMlflowStore}s in one
     * process) and an OS file lock (two processes). Re-entrant within a thread.
     */
    private <T> T withStoreLock(Supplier<T> action) {
        if (jvmLock.isHeldByCurrentThread()) {
            return action.get();
        }
        jvmLock.lock();
        try (FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the MLflow file store " + root, e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** {@code file:///abs/path}, no trailing slash, percent-encoded as Python's {@code Path.as_uri()}. */
    static String fileUri(Path path) {
        String s = path.toAbsolutePath().normalize().toUri().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface IoAction<T> {
        T run() throws IOException;
    }

    @FunctionalInterface
    private interface IoVoid {
        void run() throws IOException;
    }

    private static <T> T io(IoAction<T> action, String what) {
        try {
            return action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": " + e.getMessage(), e);
        }
    }

    private static void io(IoVoid action, String what) {
        io(() -> {
            action.run();
            return null;
        }, what);
    }
}
