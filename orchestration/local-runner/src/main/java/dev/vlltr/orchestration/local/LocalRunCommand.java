package dev.vlltr.orchestration.local;

import dev.vlltr.orchestration.PipelineSpec;
import dev.vlltr.orchestration.PipelineSpecReader;
import dev.vlltr.orchestration.StageExecution;
import dev.vlltr.runtime.cli.ExitCodes;
import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.store.ArtifactStores;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlltr-local}: runs pipeline.yaml on this machine with the embedded defaults. */
@TopCommand
@Command(name = "vlltr-local", mixinStandardHelpOptions = true, sortOptions = false, subcommands = UiCommand.class,
        description = {"Runs the VL-LTR pipeline (orchestration/pipeline.yaml) on this machine: one process per stage"
                + " with the same arguments as the Kubernetes pods, artifacts under a local folder (file://) or any"
                + " S3 server, tracking to an MLflow-compatible local store (or an MLflow server), the model registry"
                + " on its embedded PostgreSQL.",
            "Re-running the same command resumes: stages whose inputs and parameters are unchanged are skipped, and"
                + " training stages continue from their last epoch checkpoint.",
            "Exit codes: 0 all stages succeeded, 1 a stage failed (its log is shown), 2 bad options or parameters.",
            "After a run, 'ui [RUN-ID]' serves the MLflow UI and the model registry on what the run wrote."},
        footer = {"", "Examples:",
            "  orchestration/run-local.sh                          # the default config (fmnist-lt-if100)",
            "  orchestration/run-local.sh --quick                  # the small smoke config",
            "  orchestration/run-local.sh --dataset my-data/dataset.yaml --quick   # your own dataset",
            "  orchestration/run-local.sh --dataset s3://bucket/my-data/dataset.yaml  # ... from MinIO (VLLTR_S3_*)",
            "  orchestration/run-local.sh --param cvlp_epochs=2 --param methods=crt,tau",
            "  orchestration/run-local.sh --dry-run                # print the stage command lines",
            "  orchestration/run-local.sh ui                       # then: the MLflow UI and the registry"})
public class LocalRunCommand implements Callable<Integer> {

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = "default",
            description = "Parameter profile: orchestration/profiles/NAME.yaml (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--quick", description = "Same as --profile quick: a small config that runs in minutes.")
    boolean quick;

    @Option(names = "--dataset", paramLabel = "PATH|URI|NAME",
            description = "The dataset: a dataset.yaml (or its folder) on this machine, its s3:// or file:// URI, or"
                    + " the name of a shipped one (datasets/<name>/, e.g. fmnist-lt-if100). Same as --param dataset=..."
                    + " with a path made a file:// URI; overrides the profile. See docs/datasets.md.")
    String dataset;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "Pipeline parameter (as in the Airflow trigger form; arrays comma-separated), e.g."
                    + " cvlp_epochs=5, methods=crt,tau. Overrides the profile.")
    List<String> params = new ArrayList<>();

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Run id (default: local-<profile>; re-use an id to resume that run).")
    String runId;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where artifacts, the tracking store, logs and the registry database live"
                    + " (default: <repo>/.vlltr/local).")
    Path workDir;

    @Option(names = "--artifact-root", paramLabel = "URI",
            description = "Artifact root (default: file://<work-dir>/artifacts; s3://bucket/prefix uses VLLTR_S3_*).")
    String artifactRoot;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow tracking: file:// store, http(s):// server or none (default: file://<work-dir>/mlruns).")
    String trackingUri;

    @Option(names = "--registry", paramLabel = "embedded|none|URL", defaultValue = "embedded",
            description = "Model registry for the evaluation stage: start the service on its embedded PostgreSQL"
                    + " (default), none, or the URL of a running service (key from VLLTR_REGISTRY_API_KEY).")
    String registry;

    @Option(names = "--jvm-option", paramLabel = "OPT", description = "JVM option for every stage process.")
    List<String> jvmOptions = new ArrayList<>();

    @Option(names = "--repo", paramLabel = "DIR",
            description = "Repository root (default: found upwards from the working directory).")
    Path repo;

    @Option(names = "--dry-run", description = "Print the stage command lines and exit.")
    boolean dryRun;

    @Option(names = {"-v", "--verbose"}, description = "Stream every stage's log to the console (they are always"
            + " written to one file per stage).")
    boolean verbose;

    private String profileUsed;

    /** Extra environment of every stage process (tests: the S3 endpoint and keys of their MinIO server). */
    Map<String, String> stageEnv = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        LocalRun run;
        WorkFolder work;
        try {
            Path root = repo != null ? repo.toAbsolutePath() : PipelineSpecReader.findRepositoryRoot();
            PipelineSpec spec = PipelineSpecReader.read(root.resolve(PipelineSpecReader.REPOSITORY_PATH));
            String profileName = quick ? "quick" : profile;
            Map<String, Object> values = new LinkedHashMap<>();
            Path profileFile = root.resolve("orchestration/profiles").resolve(profileName + ".yaml");
            if (!Files.isRegularFile(profileFile)) {
                throw new IllegalArgumentException("--profile " + profileName + ": no file " + profileFile);
            }
            values.putAll(PipelineParams.readProfile(profileFile, spec));
            values.putAll(PipelineParams.parse(params, spec));
            if (dataset != null) {
                values.putAll(PipelineParams.parse(List.of("dataset=" + DatasetArgument.uriOrName(dataset)), spec));
            }
            // a shipped dataset by name is the repository's datasets/<name>/dataset.yaml unless data_root is given
            if (spec.params().containsKey("data_root")) {
                values.putIfAbsent("data_root", WorkFolder.fileUri(root.resolve("datasets")));
            }
            work = WorkFolder.of(workDir, root);
            String artifacts = artifactRoot != null ? artifactRoot : WorkFolder.fileUri(work.artifacts());
            String tracking = trackingUri != null ? trackingUri : WorkFolder.fileUri(work.mlruns());
            values.put("artifact_root", artifacts);
            values.put("tracking_uri", tracking);
            String id = runId != null ? runId : "local-" + profileName;
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            run = new LocalRun(new LocalRun.Settings(root, spec, id, artifacts, tracking, values, work.logs(id),
                    work.scratch(id), java, jvmOptions, new LinkedHashMap<>(stageEnv)));
            profileUsed = profileName;
            List<StageExecution> plan = run.plan();
            if (dryRun) {
                for (StageExecution e : plan) {
                    out.println(e.id() + ": " + spec.stage(e.stage()).local().jar() + " "
                            + String.join(" ", e.arguments()));
                }
                return ExitCodes.OK;
            }
            run.stageJars();
            out.println("Run " + id + " (profile " + profileName + "), work folder " + work.root());
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("vlltr-local: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        return execute(run, work, out);
    }

    private int execute(LocalRun run, WorkFolder work, PrintStream out) throws IOException, InterruptedException {
        LocalRun.Settings s = run.settings();
        EmbeddedRegistry embedded = null;
        Map<String, String> env = s.env();
        PipelineRunTracking tracking = null;
        Thread killedHook = null;
        try {
            if ("embedded".equals(registry)) {
                Optional<URI> served = work.registryUrl().filter(EmbeddedRegistry::isReady);
                if (served.isPresent() && work.adminKey().isPresent()) {
                    // run-local.sh ui holds the database: register through its registry instead of a second one
                    out.println("Model registry: the one run-local.sh ui serves at " + served.get());
                    env.put("VLLTR_REGISTRY_URL", served.get().toString());
                    env.put("VLLTR_REGISTRY_API_KEY", work.adminKey().get());
                } else {
                    Path jar = s.repo().resolve(REGISTRY_JAR);
                    if (!Files.isRegularFile(jar)) {
                        System.err.println("vlltr-local: the registry service is not built (" + jar + "); build it"
                                + " with ./mvnw -B -ntp -DskipTests package, or pass --registry none");
                        return ExitCodes.BAD_INPUT;
                    }
                    out.println("Starting the model registry on its embedded PostgreSQL (" + work.registryDb()
                            + ") ...");
                    embedded = EmbeddedRegistry.start(s.java(), jar, work.registryDb(),
                            s.logDir().resolve("registry-service.log"), Duration.ofMinutes(3), 0,
                            EmbeddedRegistry.mirrorEnvironment(
                                    URI.create("http://127.0.0.1:" + WorkFolder.MLFLOW_UI_PORT)));
                    work.writeAdminKey(embedded.apiKey());
                    env.put("VLLTR_REGISTRY_URL", embedded.url().toString());
                    env.put("VLLTR_REGISTRY_API_KEY", embedded.apiKey());
                }
            } else if (!"none".equals(registry)) {
                env.put("VLLTR_REGISTRY_URL", registry);
            }
            if (!"none".equalsIgnoreCase(s.trackingUri())) {
                // the run's parameters as the stages get them: pipeline.yaml's defaults under the profile and --param
                Map<String, Object> effective = new LinkedHashMap<>();
                s.spec().params().forEach((k, p) -> {
                    if (p.defaultValue() != null) {
                        effective.put(k, p.defaultValue());
                    }
                });
                effective.putAll(s.params());
                tracking = PipelineRunTracking.start(s.trackingUri(), s.spec().name(), s.runId(), effective,
                        Map.of("vlltr.profile", profileUsed, "vlltr.runner", "vlltr-local"),
                        w -> System.err.println("vlltr-local: " + w));
            }
            if (tracking != null) {
                PipelineRunTracking parent = tracking;
                killedHook = new Thread(parent::close, "end-parent-run");   // Ctrl-C: the parent run ends KILLED
                Runtime.getRuntime().addShutdownHook(killedHook);
            }
            // Java 17: System.console() is null unless stdin and stdout are a terminal, so pipes and CI get no redraws
            ConsoleDisplay.Mode mode = verbose ? ConsoleDisplay.Mode.VERBOSE
                    : System.console() != null ? ConsoleDisplay.Mode.TERMINAL : ConsoleDisplay.Mode.PLAIN;
            List<LocalRun.Outcome> outcomes = run.execute(new ConsoleDisplay(out, mode, s.logDir()));
            if (tracking != null) {
                tracking.finished(outcomes);
            }
            boolean ok = outcomes.stream().allMatch(o -> o.status() == LocalRun.Status.RAN
                    || o.status() == LocalRun.Status.MEMOISED);
            if (ok) {
                printResults(outcomes.get(outcomes.size() - 1), s, out);
            }
            return ok ? ExitCodes.OK : ExitCodes.FAILURE;
        } finally {
            if (killedHook != null) {
                Runtime.getRuntime().removeShutdownHook(killedHook);
                tracking.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** The registry service's runnable jar, relative to the repository root. */
    static final String REGISTRY_JAR = "registry-service/server/target/quarkus-app/quarkus-run.jar";

    /** Prints the last stage's comparison table (its Markdown output) and where its report and tracking are. */
    private static void printResults(LocalRun.Outcome last, LocalRun.Settings s, PrintStream out) throws IOException {
        ArtifactStores store = ArtifactStores.fromEnv();
        Optional<StageManifest> manifest = Manifests.read(store, last.manifest());
        if (manifest.isEmpty()) {
            return;
        }
        for (Map.Entry<String, ArtifactRef> e : manifest.get().outputs().entrySet()) {
            String path = e.getValue().uri().getPath();
            if (path.endsWith(".md")) {
                out.println();
                out.println("Comparison (" + e.getValue().uri() + "):");
                try (InputStream in = store.open(e.getValue().uri())) {
                    out.println(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        for (ArtifactRef ref : manifest.get().outputs().values()) {
            if (ref.uri().getPath().endsWith(".html")) {
                out.println("Report: " + ref.uri());
            }
        }
        out.println("Stage logs: " + s.logDir());
        out.println("Next: orchestration/run-local.sh ui " + s.runId()
                + "   # the MLflow UI on this run's tracking and the model registry on its database");
    }
}
