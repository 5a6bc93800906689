package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.Checkpoints;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.store.ArtifactNotFoundException;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ChecksumMismatchException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a running stage sees: its parameters and inputs, a local folder to write outputs into (published by the
 * runtime after the stage returns), metrics, checkpoints. Stages never publish outputs themselves.
 */
public final class StageContext {

    /** A metric point for tracking; {@code step} is the epoch or iteration. */
    public record MetricPoint(String key, double value, long step, long timestampMillis) {}

    private final StageDefinition definition;
    private final String runId;
    private final StageParams params;
    private final Map<String, ArtifactRef> inputs;
    private final ArtifactStore store;
    private final URI stageDir;
    private final Path scratch;
    private final Map<String, Path> outputs = new LinkedHashMap<>();
    private final Map<String, Double> headline = new LinkedHashMap<>();
    private final List<MetricPoint> metrics = Collections.synchronizedList(new ArrayList<>());
    private final List<Path> trackedArtifacts = new ArrayList<>();
    private final Map<String, StageManifest> upstream = new LinkedHashMap<>();
    private final StageTracking tracking;
    private final String fingerprint;

    StageContext(StageDefinition definition, String runId, StageParams params, Map<String, ArtifactRef> inputs,
            ArtifactStore store, URI stageDir, Path scratch, StageTracking tracking, String fingerprint) {
        this.tracking = tracking;
        this.fingerprint = fingerprint;
        this.definition = definition;
        this.runId = runId;
        this.params = params;
        this.inputs = inputs;
        this.store = store;
        this.stageDir = stageDir;
        this.scratch = scratch;
    }

    public String stage() {
        return definition.name();
    }

    public String runId() {
        return runId;
    }

    /**
     * The execution's fingerprint (stage, effective parameters, input digests): what memoisation compares, and the
     * key under which training checkpoints are reused — only the same computation resumes from them.
     */
    public String fingerprint() {
        return fingerprint;
    }

    public StageParams params() {
        return params;
    }

    public ArtifactStore store() {
        return store;
    }

    /**
     * The stage's folder in the artifact store ({@code <root>/<run-id>/<stage>/}): the manifest and checkpoints live
     * there; outputs go to {@code outputs/<sha256>/} below it, addressed by their content.
     */
    public URI stageDir() {
        return stageDir;
    }

    /** A private local folder for temporary files; deleted after the stage. */
    public Path scratch() {
        return scratch;
    }

    public boolean hasInput(String name) {
        return inputs.containsKey(name);
    }

    public ArtifactRef input(String name) {
        ArtifactRef ref = inputs.get(name);
        if (ref == null) {
            throw new BadInputException("stage '" + stage() + "' was not given input '" + name + "' (--input "
                    + name + "=URI)");
        }
        return ref;
    }

    /** The manifest an input points at (inputs from upstream stages are their manifest URIs). */
    public StageManifest inputManifest(String name) throws IOException {
        StageManifest m = upstream.get(name);
        if (m == null) {
            ArtifactRef ref = input(name);
            m = Manifests.parse(store.readAllBytes(ref.uri(), ref.sha256()), ref.uri());
            upstream.put(name, m);
        }
        return m;
    }

    /** Downloads an input (a plain file, verified against the digest taken at start) into the scratch folder. */
    public Path fetchInput(String name) throws IOException {
        ArtifactRef ref = input(name);
        Path target = scratch.resolve("inputs").resolve(name).resolve(fileName(ref.uri()));
        store.download(ref.uri(), target, ref.sha256());
        return target;
    }

    /**
     * Downloads one output of the upstream stage given as input {@code inputName}, verified by its manifest. The
     * outputs were verified when the inputs were resolved; one that changed since is bad input naming the manifest.
     */
    public Path fetchUpstreamOutput(String inputName, String outputName) throws IOException {
        List<String> reads = definition.input(inputName).map(InputSpec::reads).orElse(List.of());
        if (!reads.isEmpty() && !reads.contains(outputName)) {
            // a programming error, caught by the stage's first test: the definition must say what the stage reads
            throw new IllegalStateException("stage " + stage() + " fetches output '" + outputName + "' of input '"
                    + inputName + "', but its definition declares only " + reads);
        }
        ArtifactRef out = inputManifest(inputName).output(outputName);
        Path target = scratch.resolve("inputs").resolve(inputName).resolve(outputName)
                .resolve(fileName(out.uri()));
        if (!Files.exists(target)) {
            try {
                store.download(out.uri(), target, out.sha256());
            } catch (ChecksumMismatchException | ArtifactNotFoundException e) {
                throw new BadInputException("input '" + inputName + "' (manifest " + input(inputName).uri()
                        + "): output '" + outputName + "': " + e.getMessage(), e);
            }
        }
        return target;
    }

    /**
     * Fails with exit 2, naming both manifests, unless input {@code via} was produced from this stage's own input
     * {@code upstream} (lgr: the anchors must have been selected with the lgr's cvlp). See {@link Lineage}.
     */
    public void requireSameUpstream(String via, String upstream) throws IOException {
        Lineage.requireSameUpstream(this, via, upstream);
    }

    /**
     * A local path for output {@code name}; write the file there. It is published as
     * {@code <stage-dir>/<fileName>} after the stage returns.
     */
    public Path output(String name, String fileName) throws IOException {
        if (!definition.outputs().isEmpty()) {
            OutputSpec declared = definition.output(name).orElseThrow(() -> new IllegalStateException("stage "
                    + stage() + " writes output '" + name + "', which its definition does not declare"));
            if (!declared.file().equals(fileName)) {
                throw new IllegalStateException("stage " + stage() + " writes output '" + name + "' as " + fileName
                        + ", its definition declares " + declared.file());
            }
        }
        if (!name.matches("[a-z][a-z0-9_-]*") || fileName.contains("/") || fileName.startsWith(".")) {
            throw new IllegalArgumentException("bad output name '" + name + "' / file '" + fileName + "'");
        }
        if (outputs.containsKey(name)) {
            throw new IllegalStateException("output '" + name + "' declared twice");
        }
        Path dir = scratch.resolve("outputs");
        Files.createDirectories(dir);
        Path p = dir.resolve(fileName);
        if (outputs.containsValue(p)) {
            throw new IllegalStateException("two outputs write the file '" + fileName + "'");
        }
        outputs.put(name, p);
        return p;
    }

    /** A local path for a declared output; write the file there. */
    public Path output(OutputSpec spec) throws IOException {
        return output(spec.name(), spec.file());
    }

    /** The MLflow run id of this stage execution (for lineage records); empty when tracking is off. */
    public java.util.Optional<String> trackingRunId() {
        return tracking.trackingRunId();
    }

    /** A headline metric: recorded in the manifest, the XCom result and the tracking run. */
    public void headline(String key, double value) {
        headline.put(key, value);
        metric(key, value, 0);
    }

    /** A metric point for tracking (e.g. per epoch), sent to the tracking run as it happens. */
    public void metric(String key, double value, long step) {
        MetricPoint p = new MetricPoint(key, value, step, System.currentTimeMillis());
        metrics.add(p);
        StageRunner.tolerate("logging metric " + key, () -> tracking.metrics(List.of(p)));
    }

    /** A file to attach to the tracking run (plots, reports); it is not a stage output unless also declared. */
    public void trackArtifact(Path file) {
        trackedArtifacts.add(file);
        StageRunner.tolerate("logging artifact " + file.getFileName(), () -> tracking.artifact(file));
    }

    /** Per-epoch checkpoints of this stage in the artifact store. */
    public Checkpoints checkpoints() {
        return new Checkpoints(store, stageDir);
    }

    Map<String, Path> outputs() {
        return outputs;
    }

    Map<String, Double> headlineMetrics() {
        return headline;
    }

    List<MetricPoint> metricPoints() {
        return metrics;
    }

    List<Path> trackedArtifacts() {
        return trackedArtifacts;
    }

    private static String fileName(URI uri) {
        String path = uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "input" : name;
    }
}
