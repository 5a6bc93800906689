package dev.vlltr.orchestration.local;

import dev.vlltr.orchestration.ExecutionPlan;
import dev.vlltr.orchestration.PipelineSpec;
import dev.vlltr.orchestration.PipelineSpec.Stage;
import dev.vlltr.orchestration.StageExecution;
import dev.vlltr.runtime.cli.TrackedStage;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.ArtifactStores;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a pipeline on this machine: the {@link ExecutionPlan} of pipeline.yaml executed one stage process at a time
 * with exactly the arguments a pod would get. Stages whose manifest already matches their inputs and parameters skip
 * themselves (the stage runtime's memoisation), so re-running the same command after a crash or Ctrl-C resumes where it
 * stopped; the long stages also resume from their last epoch checkpoint.
 */
public final class LocalRun {

    /** What happened to one stage execution. */
    public enum Status { RAN, MEMOISED, FAILED, NOT_RUN }

    /** One stage execution's outcome: status, wall time, headline metrics, manifest and log. */
    public record Outcome(String id, Status status, Duration elapsed, Map<String, Double> metrics, URI manifest,
            Path log, int exitCode) {}

    /**
     * Everything a local run needs.
     *
     * @param repo         the repository root (stage jars are resolved against it)
     * @param spec         the pipeline
     * @param runId        the run id (re-use it to resume)
     * @param artifactRoot where stage outputs go ({@code file://} or {@code s3://})
     * @param trackingUri  MLflow tracking URI ({@code file://} local store, {@code http(s)://} server, or none)
     * @param params       pipeline parameter overrides
     * @param logDir       one log file per stage execution
     * @param scratchDir   the stages' scratch space (VLLTR_WORK_DIR)
     * @param java         the java launcher for stage processes
     * @param jvmOptions   options for every stage JVM
     * @param env          extra environment for every stage (e.g. the registry's URL and key)
     */
    public record Settings(Path repo, PipelineSpec spec, String runId, String artifactRoot, String trackingUri,
            Map<String, Object> params, Path logDir, Path scratchDir, Path java, List<String> jvmOptions,
            Map<String, String> env) {}

    private final Settings settings;

    public LocalRun(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /** The plan this run executes (also what {@code --dry-run} prints). */
    public List<StageExecution> plan() {
        return ExecutionPlan.of(settings.spec(), settings.runId(), settings.artifactRoot(), settings.trackingUri(),
                settings.params());
    }

    /**
     * The runnable jar of every stage in the plan, checked before anything starts so that a missing build fails
     * at once with the command that builds it.
     */
    public Map<String, Path> stageJars() {
        Map<String, Path> jars = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Stage stage : settings.spec().stages()) {
            if (stage.local() == null || stage.local().jar() == null) {
                missing.add(stage.name() + " (pipeline.yaml declares no local.jar)");
                continue;
            }
            Path jar = settings.repo().resolve(stage.local().jar());
            if (!Files.isRegularFile(jar)) {
                missing.add(stage.name() + " (" + jar + ")");
            }
            jars.put(stage.name(), jar);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("stage jars not built: " + String.join(", ", missing)
                    + "; build them with ./mvnw -B -ntp -DskipTests package (orchestration/run-local.sh does)");
        }
        return jars;
    }

    /**
     * Executes the plan, stopping at the first failed stage.
     *
     * @param display receives stage starts, finishes and the running stage's log lines
     */
    public List<Outcome> execute(RunDisplay display) throws IOException, InterruptedException {
        List<StageExecution> plan = plan();
        Map<String, Path> jars = stageJars();
        ArtifactStore store = ArtifactStores.fromEnv();
        List<Outcome> outcomes = new ArrayList<>();
        display.started(plan);
        boolean failed = false;
        for (int i = 0; i < plan.size(); i++) {
            StageExecution exec = plan.get(i);
            Path log = settings.logDir().resolve(exec.id().replace('[', '-').replace("]", "") + ".log");
            if (failed) {
                outcomes.add(new Outcome(exec.id(), Status.NOT_RUN, Duration.ZERO, Map.of(), exec.manifest(), log, -1));
                continue;
            }
            display.stageStarted(i, exec);
            Map<String, String> env = new LinkedHashMap<>(settings.env());
            env.put("VLLTR_WORK_DIR", settings.scratchDir().resolve(exec.id()).toString());
            env.put("VLLTR_EXPERIMENT", settings.spec().name());
            // names the stage's MLflow run after the execution: recalibration[crt], not five runs called recalibration
            env.put(TrackedStage.ENV_EXECUTION, exec.id());
            Instant start = Instant.now();
            Consumer<String> lines = line -> display.stageOutput(exec, line);
            int code = StageProcess.run(settings.java(), settings.jvmOptions(), jars.get(exec.stage()),
                    exec.arguments(), env, log, lines);
            Duration elapsed = Duration.between(start, Instant.now());
            Outcome outcome;
            Optional<StageManifest> manifest = code == 0 ? Manifests.read(store, exec.manifest()) : Optional.empty();
            if (code == 0 && manifest.isPresent()) {
                StageManifest m = manifest.get();
                // a stage that found a matching manifest exits at once without writing a new one
                Status status = m.startedAt() != null && m.startedAt().isBefore(start) ? Status.MEMOISED : Status.RAN;
                outcome = new Outcome(exec.id(), status, elapsed, m.metrics() == null ? Map.of() : m.metrics(),
                        exec.manifest(), log, code);
            } else {
                outcome = new Outcome(exec.id(), Status.FAILED, elapsed, Map.of(), exec.manifest(), log,
                        code == 0 ? -1 : code);
                failed = true;
            }
            outcomes.add(outcome);
            display.stageFinished(i, exec, outcome);
        }
        display.finished(outcomes);
        return outcomes;
    }

    /** Where progress goes: a terminal display, plain log lines, or a test's recorder. */
    public interface RunDisplay {
        void started(List<StageExecution> plan);

        void stageStarted(int index, StageExecution exec);

        /** A line the running stage added to its log (offered about once a second, in order). */
        void stageOutput(StageExecution exec, String line);

        void stageFinished(int index, StageExecution exec, Outcome outcome);

        void finished(List<Outcome> outcomes);
    }

    /** Formats a duration as {@code 1m05s}. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : String.format("%.1fs", d.toMillis() / 1000.0);
    }
}
