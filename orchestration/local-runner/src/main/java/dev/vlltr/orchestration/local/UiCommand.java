package dev.vlltr.orchestration.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.orchestration.PipelineSpecReader;
import dev.vlltr.runtime.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vlltr-local ui [RUN-ID]}: after a local run, the two things to look at, served until Ctrl-C: the MLflow UI on
 * the run's tracking store and the model registry on its database (mirroring its versions into that MLflow, so they
 * show on its Models page). Prints the URLs, where the admin key is, and the commands to query the registry.
 */
@Command(name = "ui", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"After a local run: serves the MLflow UI on the run's tracking store and the model registry on"
                + " its database (127.0.0.1 only) until Ctrl-C. orchestration/run-local.sh ui installs MLflow into a"
                + " cached virtualenv first.",
            "Exit codes: 0 stopped by Ctrl-C, 1 a server failed, 2 no run or no MLflow."},
        footer = {"", "Example:", "  orchestration/run-local.sh ui local-quick"})
public class UiCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN-ID",
            description = "The run whose report to show (default: the most recent run with an evaluation).")
    String runId;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "The runner's work folder (default: <repo>/.vlltr/local).")
    Path workDir;

    @Option(names = "--mlflow", paramLabel = "FILE",
            description = "The mlflow executable (default: $VLLTR_MLFLOW, which run-local.sh sets).")
    Path mlflow;

    @Option(names = "--mlflow-port", paramLabel = "PORT", defaultValue = "" + WorkFolder.MLFLOW_UI_PORT,
            description = "MLflow UI port (default: ${DEFAULT-VALUE}; a free one when taken).")
    int mlflowPort;

    @Option(names = "--registry-port", paramLabel = "PORT", defaultValue = "" + WorkFolder.REGISTRY_UI_PORT,
            description = "Registry port (default: ${DEFAULT-VALUE}; a free one when taken).")
    int registryPort;

    @Option(names = "--repo", paramLabel = "DIR",
            description = "Repository root (default: found upwards from the working directory).")
    Path repo;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path root;
        WorkFolder work;
        String run;
        Path mlflowExe;
        Path registryJar;
        try {
            root = repo != null ? repo.toAbsolutePath() : PipelineSpecReader.findRepositoryRoot();
            work = WorkFolder.of(workDir, root);
            run = chooseRun(work, runId);
            mlflowExe = mlflow != null ? mlflow : envPath("VLLTR_MLFLOW");
            if (mlflowExe == null || !Files.isExecutable(mlflowExe)) {
                throw new IllegalArgumentException("no mlflow executable (" + (mlflowExe == null ? "--mlflow or"
                        + " VLLTR_MLFLOW not set" : mlflowExe + " is not executable") + "); orchestration/run-local.sh"
                        + " ui installs it into ~/.cache/vlltr/venv-mlflow");
            }
            registryJar = root.resolve(LocalRunCommand.REGISTRY_JAR);
            if (!Files.isRegularFile(registryJar)) {
                throw new IllegalArgumentException("the registry service is not built (" + registryJar + "); build"
                        + " it with ./mvnw -B -ntp -DskipTests package");
            }
            if (work.registryUrl().isPresent() && EmbeddedRegistry.isReady(work.registryUrl().get())) {
                throw new IllegalArgumentException("a registry on " + work.registryDb() + " is already serving at "
                        + work.registryUrl().get() + " (another run-local.sh ui?); stop it first");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("vlltr-local ui: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }

        try {
            return serve(out, work, run, mlflowExe, registryJar);
        } finally {
            serversStopped.countDown();
        }
    }

    private int serve(PrintStream out, WorkFolder work, String run, Path mlflowExe, Path registryJar)
            throws InterruptedException {
        Path logs = work.root().resolve("logs");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        out.println("Starting the MLflow UI on " + work.mlruns() + " ...");
        try (MlflowUiServer ui = MlflowUiServer.start(mlflowExe, work.mlruns(), portOrFree(mlflowPort),
                logs.resolve("mlflow-ui.log"), Duration.ofMinutes(3))) {
            out.println("Starting the model registry on " + work.registryDb() + " ...");
            try (EmbeddedRegistry registry = EmbeddedRegistry.start(java, registryJar, work.registryDb(),
                    logs.resolve("registry-service.log"), Duration.ofMinutes(3), portOrFree(registryPort),
                    EmbeddedRegistry.mirrorEnvironment(ui.url()))) {
                Path keyFile = work.writeAdminKey(registry.apiKey());
                work.writeRegistryUrl(registry.url());
                try {
                    printWhereThingsAre(out, work, run, ui, registry, keyFile, modelName(work, run));
                    awaitCtrlC(ui, registry);
                } finally {
                    Files.deleteIfExists(work.registryUrlFile());
                }
                if (!ui.isAlive()) {
                    System.err.println("vlltr-local ui: the MLflow server stopped; see " + logs.resolve("mlflow-ui.log"));
                    return ExitCodes.FAILURE;
                }
            }
        } catch (IOException e) {
            System.err.println("vlltr-local ui: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /** The given run (it must have an evaluation), else the most recent one that has. */
    static String chooseRun(WorkFolder work, String given) {
        List<String> runs;
        try {
            runs = work.finishedRuns();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list the runs in " + work.artifacts() + ": " + e.getMessage());
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no finished run in " + work.root() + "; run the pipeline first"
                    + " (orchestration/run-local.sh --quick)");
        }
        if (given == null) {
            return runs.get(0);
        }
        if (!runs.contains(given)) {
            throw new IllegalArgumentException("no finished run '" + given + "' in " + work.root() + "; runs: " + runs);
        }
        return given;
    }

    private static Path envPath(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    /** The port when it is free on 127.0.0.1, else a free one (the printed URLs say which). */
    static int portOrFree(int port) throws IOException {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException taken) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            }
        }
    }

    /** The registry model the run's evaluation registered into (its registration.json), or null. */
    static String modelName(WorkFolder work, String run) {
        Optional<Path> registration = work.evaluationOutput(run, "registration");
        if (registration.isEmpty()) {
            return null;
        }
        try {
            JsonNode json = new ObjectMapper().readTree(registration.get().toFile());
            return json.path("modelName").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static void printWhereThingsAre(PrintStream out, WorkFolder work, String run, MlflowUiServer ui,
            EmbeddedRegistry registry, Path keyFile, String model) {
        String api = registry.url() + "/api/v1";
        out.println();
        out.println("Run " + run + (work.report(run).map(r -> ", report: " + r.toUri()).orElse("")));
        out.println("MLflow UI:      " + ui.url() + "  (experiment vl-ltr; registered models: " + ui.url()
                + "/#/models)");
        out.println("Model registry: " + api + "  (Swagger UI: " + registry.url() + "/q/swagger-ui)");
        out.println("  admin API key: " + keyFile + " (X-API-Key header; a new key each start)");
        out.println("  database:      " + work.registryDb());
        out.println("  try:");
        out.println("    export R=" + api + " KEY=$(cat " + keyFile + ")");
        out.println("    curl -s \"$R/models\" -H \"X-API-Key: $KEY\"");
        if (model != null) {
            out.println("    curl -s \"$R/models/" + model + "/versions\" -H \"X-API-Key: $KEY\"");
        }
        out.println("Press Ctrl-C to stop both.");
        out.flush();
    }

    /** Counted down when both servers are stopped: the Ctrl-C hook waits for it, so the JVM exits after them. */
    private final CountDownLatch serversStopped = new CountDownLatch(1);

    /** Blocks until Ctrl-C (the JVM's shutdown starts) or until either server dies. */
    private void awaitCtrlC(MlflowUiServer ui, EmbeddedRegistry registry) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                serversStopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "ui-ctrl-c"));
        while (!stop.await(2, TimeUnit.SECONDS)) {
            if (!ui.isAlive() || !registry.isAlive()) {
                return;
            }
        }
        System.out.println();
        System.out.println("Stopping the MLflow UI and the registry ...");
    }
}
