package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every stage app: the common options ({@link StageOptions}), the stage's parameters and inputs documented in
 * {@code --help}, and the exit codes of the stage contract (0 ok, 2 bad input, 1 anything else). A stage declares
 * {@link #definition()} and implements {@link #execute(StageContext)}; everything else is the {@link StageRunner}'s.
 */
public abstract class StageCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(StageCommand.class);
    static final String SECTION_INPUTS = "stageInputs";
    static final String SECTION_PARAMS = "stageParams";
    static final String SECTION_OUTPUTS = "stageOutputs";

    @Mixin
    protected StageOptions options = new StageOptions();

    private CommandSpec spec;

    /** The stage's name, parameters and inputs. */
    protected abstract StageDefinition definition();

    /** The stage's work: read inputs and parameters from {@code ctx}, write outputs to {@code ctx.output(...)}. */
    protected abstract void execute(StageContext ctx) throws Exception;

    /** Picocli calls this when it builds the command: adds the 'Inputs', 'Parameters' and 'Outputs' help sections. */
    @Spec
    void setSpec(CommandSpec spec) {
        this.spec = spec;
        UsageMessageSpec usage = spec.usageMessage();
        List<String> keys = new ArrayList<>(usage.sectionKeys());
        int at = keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1;
        if (!keys.contains(SECTION_PARAMS)) {
            keys.add(at, SECTION_OUTPUTS);
            keys.add(at, SECTION_PARAMS);
            keys.add(at, SECTION_INPUTS);
        }
        Map<String, CommandLine.IHelpSectionRenderer> map = new LinkedHashMap<>(usage.sectionMap());
        map.put(SECTION_INPUTS, help -> renderInputs(definition()));
        map.put(SECTION_PARAMS, help -> renderParams(definition()));
        map.put(SECTION_OUTPUTS, help -> renderOutputs(definition()));
        usage.sectionKeys(keys);
        usage.sectionMap(map);
        usage.exitCodeListHeading("%nExit codes:%n");
        usage.exitCodeList(Map.of("0", "success (or skipped: outputs already current and verified)",
                "1", "failure: a bug, or the artifact store unreachable after retries (retrying may help)",
                "2", "bad input or configuration: parameters, files, credentials, unwritable root, corrupt or"
                        + " missing upstream outputs (the message names the URI, file or field)"));
    }

    static String renderInputs(StageDefinition def) {
        if (def.inputs().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format("%nInputs (--input NAME=URI):%n"));
        for (InputSpec in : def.inputs()) {
            String reads = in.reads().isEmpty() ? "" : " Reads its outputs " + String.join(", ", in.reads()) + ".";
            sb.append(String.format("  %-22s %s%s%s%n", in.name(), in.required() ? "" : "(optional) ",
                    in.description(), reads));
        }
        return sb.toString();
    }

    static String renderOutputs(StageDefinition def) {
        if (def.outputs().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format("%nOutputs (in the manifest, by name):%n"));
        for (OutputSpec out : def.outputs()) {
            sb.append(String.format("  %-22s %s%s (%s: %s)%n", out.name(), out.optional() ? "(optional) " : "",
                    out.description(), out.file(), out.kind()));
        }
        return sb.toString();
    }

    static String renderParams(StageDefinition def) {
        if (def.params().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format("%nParameters (--param KEY=VALUE):%n"));
        for (ParamSpec p : def.params()) {
            String dflt = p.required() ? "required" : "default: " + (p.defaultValue().isEmpty() ? "\"\"" : p.defaultValue());
            String choices = p.choices().isEmpty() ? "" : " One of " + String.join(", ", p.choices()) + ".";
            String range = p.range() == null ? "" : "; " + p.range();
            sb.append(String.format("  %-22s %s%s (%s%s)%n", p.name(), p.description(), choices, dflt, range));
        }
        return sb.toString();
    }

    @Override
    public Integer call() {
        PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
        StageConfig cfg;
        try {
            cfg = StageConfig.merge(options);
        } catch (BadInputException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        try (ArtifactStores store = ArtifactStores.fromEnv();
                TrackedStage tracking = TrackedStage.open(cfg.trackingUri(), cfg.experiment())) {
            Path xcomDir = options.xcomDir() != null ? options.xcomDir() : xcomDir();
            StageRunner runner = new StageRunner(store, workDir(), new XcomWriter(xcomDir), tracking);
            runner.run(definition(), cfg, options.force(), this::execute);
            return ExitCodes.OK;
        } catch (Exception | Error e) {
            Failures failure = Failures.of(definition().name(), e);
            if (failure.unexpected()) {
                LOG.error("stage {} failed", definition().name(), e);
            } else {
                // the one line below says what and where; the stack is for whoever debugs the runtime itself
                LOG.debug("stage {} stopped: exit {}", definition().name(), failure.exitCode(), e);
            }
            err.println("error: " + failure.message());
            err.flush();
            return failure.exitCode();
        }
    }

    /**
     * Where return.json goes: {@code $VLLTR_XCOM_DIR}, else Airflow's {@code /airflow/xcom}. The DAG's local mode runs
     * stages as subprocesses of one Airflow worker with a folder per task instance set here, so that the command line
     * stays exactly the pod's (no extra option) and concurrent tasks never share a return.json.
     */
    static Path xcomDir() {
        String env = System.getenv("VLLTR_XCOM_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : XcomWriter.DEFAULT_DIR;
    }

    /** Local scratch space: {@code $VLLTR_WORK_DIR}, else the system temp folder. */
    static Path workDir() {
        String env = System.getenv("VLLTR_WORK_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("java.io.tmpdir"), "vlltr");
    }

    /** Runs a stage command outside Quarkus (tests, tools). */
    public static int run(StageCommand command, String... args) {
        return new CommandLine(command).execute(args);
    }

}
