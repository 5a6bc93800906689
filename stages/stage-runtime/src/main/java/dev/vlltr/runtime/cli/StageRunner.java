package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.Fingerprint;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage execution under the stage contract: validate the invocation, digest the inputs, skip when a
 * manifest with the same fingerprint and intact outputs exists, run the stage body, publish its outputs (each
 * verified), write the manifest last, and hand the result to Airflow's XCom when running in a pod.
 */
public final class StageRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}");

    /** The stage's work, given its context. */
    @FunctionalInterface
    public interface Body {
        void execute(StageContext ctx) throws Exception;
    }

    /** What one execution produced (or found memoised). */
    public record Result(URI manifestUri, StageManifest manifest, boolean memoised, StageContext context) {}

    /** Something that may fail without failing the stage (tracking is secondary to the manifest). */
    @FunctionalInterface
    interface Attempt {
        void run() throws Exception;
    }

    private final ArtifactStore store;
    private final Path workDir;
    private final XcomWriter xcom;
    private final StageTracking tracking;

    public StageRunner(ArtifactStore store, Path workDir, XcomWriter xcom) {
        this(store, workDir, xcom, StageTracking.NONE);
    }

    public StageRunner(ArtifactStore store, Path workDir, XcomWriter xcom, StageTracking tracking) {
        this.store = store;
        this.workDir = workDir;
        this.xcom = xcom;
        this.tracking = tracking;
    }

    /**
     * Runs a tracking call; a failure is logged and the stage goes on: the manifest, not the tracking server, is the
     * record of what was produced.
     */
    static void tolerate(String what, Attempt attempt) {
        try {
            attempt.run();
        } catch (Exception e) {
            LOG.warn("tracking: {} failed: {}", what, e.toString());
        }
    }

    public Result run(StageDefinition def, StageConfig cfg, boolean force, Body body) throws Exception {
        Instant started = Instant.now();
        String runId = requireRunId(cfg.runId());
        URI root = ArtifactUris.parse(cfg.artifactRoot(), "--artifact-root");
        StageParams params = StageParams.validate(def.name(), def.params(), cfg.params());
        Map<String, ArtifactRef> inputs = resolveInputs(def, cfg.inputs());

        String fingerprint = Fingerprint.of(def.name(), params.asStrings(), inputs);
        URI stageDir = Manifests.stageDir(root, runId, def.name());
        URI manifestUri = Manifests.manifestUri(root, runId, def.name());
        if (!force) {
            Optional<StageManifest> memo = Manifests.memoised(store, manifestUri, fingerprint);
            if (memo.isPresent()) {
                LOG.info("stage {} of run {}: skipped, {} is current (same parameters and input digests)",
                        def.name(), runId, manifestUri);
                xcom.write(manifestUri, memo.get());
                return new Result(manifestUri, memo.get(), true, null);
            }
        }

        Files.createDirectories(workDir);
        Path scratch = Files.createTempDirectory(workDir, def.name() + "-");
        boolean success = false;
        try {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("vlltr.fingerprint", fingerprint);
            tags.put("vlltr.code_version", CodeVersion.get());
            tags.put("vlltr.manifest", manifestUri.toString());
            inputs.forEach((k, v) -> tags.put("vlltr.input." + k, v.uri().toString()));
            tolerate("starting the run", () -> tracking.started(def.name(), runId, params.asStrings(), tags));
            StageContext ctx = new StageContext(def, runId, params, inputs, store, stageDir, scratch, tracking,
                    fingerprint);
            LOG.info("stage {} of run {}: running with {} and inputs {}", def.name(), runId, params.asStrings(),
                    inputs.keySet());
            body.execute(ctx);

            for (OutputSpec declared : def.outputs()) {
                if (!declared.optional() && !ctx.outputs().containsKey(declared.name())) {
                    throw new IllegalStateException("stage " + def.name() + " declares output '" + declared.name()
                            + "' (" + declared.file() + ") but did not write it");
                }
            }
            Map<String, ArtifactRef> outputs = new LinkedHashMap<>();
            for (Map.Entry<String, Path> out : ctx.outputs().entrySet()) {
                Path file = out.getValue();
                if (!Files.isRegularFile(file)) {
                    throw new IllegalStateException("stage " + def.name() + " declared output '" + out.getKey()
                            + "' but did not write " + file.getFileName());
                }
                ArtifactInfo info = store.put(file, ArtifactUris.resolve(stageDir, file.getFileName().toString()));
                outputs.put(out.getKey(), new ArtifactRef(info.uri(), info.sha256(), info.size()));
                LOG.info("output {} -> {} ({} bytes)", out.getKey(), info.uri(), info.size());
            }
            StageManifest manifest = new StageManifest(StageManifest.SCHEMA_VERSION, def.name(), runId,
                    CodeVersion.get(), fingerprint, params.asStrings(), inputs, outputs, ctx.headlineMetrics(),
                    started, Instant.now());
            Manifests.publish(store, manifestUri, manifest);
            Path manifestCopy = scratch.resolve(StageManifest.FILE_NAME);
            Files.write(manifestCopy, Manifests.toBytes(manifest));
            tolerate("logging the manifest", () -> tracking.artifact(manifestCopy));
            xcom.write(manifestUri, manifest);
            success = true;
            LOG.info("stage {} of run {}: done in {} s", def.name(), runId,
                    (manifest.finishedAt().toEpochMilli() - started.toEpochMilli()) / 1000.0);
            return new Result(manifestUri, manifest, false, ctx);
        } finally {
            boolean ok = success;
            tolerate("ending the run", () -> tracking.finished(ok));
            deleteRecursively(scratch);
        }
    }

    static String requireRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new BadInputException("--run-id: expected 1-200 characters of letters, digits, '.', '_', ':',"
                    + " '+', '-' starting with a letter or digit, got " + (runId == null ? "nothing" : "'" + runId + "'"));
        }
        return runId;
    }

    private Map<String, ArtifactRef> resolveInputs(StageDefinition def, Map<String, String> given) throws IOException {
        Map<String, InputSpec> specs = new LinkedHashMap<>();
        def.inputs().forEach(s -> specs.put(s.name(), s));
        for (String name : given.keySet()) {
            if (!specs.containsKey(name)) {
                throw new BadInputException("unknown input '" + name + "' for stage '" + def.name() + "'; known: "
                        + specs.keySet());
            }
        }
        Map<String, ArtifactRef> out = new LinkedHashMap<>();
        for (InputSpec s : def.inputs()) {
            String value = given.get(s.name());
            if (value == null || value.isBlank()) {
                if (s.required()) {
                    throw new BadInputException("missing required input '" + s.name() + "' for stage '" + def.name()
                            + "': --input " + s.name() + "=URI (" + s.description() + ")");
                }
                continue;
            }
            URI uri = ArtifactUris.parse(value, "--input " + s.name());
            out.put(s.name(), Manifests.describeInput(store, uri));
        }
        return out;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not clean {}: {}", dir, e.getMessage());
        }
    }
}
