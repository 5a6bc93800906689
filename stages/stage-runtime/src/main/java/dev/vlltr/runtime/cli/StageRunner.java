package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.Fingerprint;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage execution under the stage contract: validate the invocation, digest the inputs (verifying upstream
 * manifests' outputs), skip when a manifest with the same fingerprint and verified outputs exists, check that the
 * artifact root is writable, run the stage body in a locked scratch folder, publish its outputs at their content
 * addresses (each verified), write the manifest last, clean up what killed executions left, and hand the result to
 * Airflow's XCom when running in a pod.
 */
public final class StageRunner {

    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

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
    private PublishListener publishListener = PublishListener.NONE;

    public StageRunner(ArtifactStore store, Path workDir, XcomWriter xcom) {
        this(store, workDir, xcom, StageTracking.NONE);
    }

    public StageRunner(ArtifactStore store, Path workDir, XcomWriter xcom, StageTracking tracking) {
        this.store = store;
        this.workDir = workDir;
        this.xcom = xcom;
        this.tracking = tracking;
    }

    /** Lets the crash tests stop or kill the process at each publish phase. */
    StageRunner onPublish(PublishListener listener) {
        this.publishListener = listener;
        return this;
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
        // 1. everything the user gave is checked before anything is read or written (exit 2 on any of it)
        String runId = RunIds.require(cfg.runId());
        URI root = ArtifactUris.parse(cfg.artifactRoot(), "--artifact-root");
        StageParams params = StageParams.validate(def.name(), def.params(), cfg.params());
        Map<String, ArtifactRef> inputs = StageInputs.resolve(store, def, cfg.inputs());

        // 2. memoisation: same fingerprint and every output verified against its recorded SHA-256
        String fingerprint = Fingerprint.of(def.name(), params.asStrings(), inputs);
        URI stageDir = Manifests.stageDir(root, runId, def.name());
        URI manifestUri = Manifests.manifestUri(root, runId, def.name());
        // what killed executions left goes first, even when this one turns out to be a memoised skip
        removeLeftovers(stageDir);
        if (!force) {
            Optional<StageManifest> memo = Manifests.memoised(store, manifestUri, fingerprint);
            if (memo.isPresent()) {
                LOG.info("stage {} of run {}: skipped, {} is current (same parameters and input digests, outputs"
                        + " verified)", def.name(), runId, manifestUri);
                xcom.write(manifestUri, memo.get());
                return new Result(manifestUri, memo.get(), true, null);
            }
        }

        // 3. before the work: the results must be writable (exit 2 now, not after an hour of training)
        WritableRoot.require(store, root);

        boolean success = false;
        try (ScratchDirs.Scratch scratch = ScratchDirs.create(workDir, def.name())) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("vlltr.fingerprint", fingerprint);
            tags.put("vlltr.code_version", CodeVersion.get());
            tags.put("vlltr.manifest", manifestUri.toString());
            inputs.forEach((k, v) -> tags.put("vlltr.input." + k, v.uri().toString()));
            tolerate("starting the run", () -> tracking.started(def.name(), runId, params.asStrings(), tags));
            StageContext ctx = new StageContext(def, runId, params, inputs, store, stageDir, scratch.dir(), tracking,
                    fingerprint);
            LOG.info("stage {} of run {}: running with {} and inputs {}", def.name(), runId, params.asStrings(),
                    inputs.keySet());
            MallocTunables.warnIfUntuned();
            body.execute(ctx);

            for (OutputSpec declared : def.outputs()) {
                if (!declared.optional() && !ctx.outputs().containsKey(declared.name())) {
                    throw new IllegalStateException("stage " + def.name() + " declares output '" + declared.name()
                            + "' (" + declared.file() + ") but did not write it");
                }
            }
            // 4. outputs at their content addresses, the manifest last (OutputPublisher says why that is safe)
            OutputPublisher publisher = new OutputPublisher(store, publishListener);
            Map<String, ArtifactRef> outputs = publisher.publishOutputs(def.name(), ctx.outputs(), stageDir);
            StageManifest manifest = new StageManifest(StageManifest.SCHEMA_VERSION, def.name(), runId,
                    CodeVersion.get(), fingerprint, params.asStrings(), inputs, outputs, ctx.headlineMetrics(),
                    started, Instant.now());
            publisher.publishManifest(manifestUri, manifest);
            Path manifestCopy = scratch.dir().resolve(StageManifest.FILE_NAME);
            Files.write(manifestCopy, Manifests.toBytes(manifest));
            tolerate("logging the manifest", () -> tracking.artifact(manifestCopy));
            xcom.write(manifestUri, manifest);
            removeLeftovers(stageDir);
            success = true;
            LOG.info("stage {} of run {}: done in {} s", def.name(), runId,
                    (manifest.finishedAt().toEpochMilli() - started.toEpochMilli()) / 1000.0);
            return new Result(manifestUri, manifest, false, ctx);
        } finally {
            boolean ok = success;
            tolerate("ending the run", () -> tracking.finished(ok));
        }
    }

    /**
     * Removes the debris of killed executions of this stage: temporary {@code .partial} files and incomplete multipart
     * uploads under its folder, and abandoned local scratch folders. Best effort: a failure here is logged, it does not
     * fail the stage.
     */
    private void removeLeftovers(URI stageDir) {
        try {
            int n = store.removeIncomplete(stageDir);
            if (n > 0) {
                LOG.info("removed {} incomplete upload(s) left under {} by killed executions", n, stageDir);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not remove incomplete uploads under {}: {}", stageDir, e.getMessage());
        }
        ScratchDirs.removeStale(workDir);
    }
}
