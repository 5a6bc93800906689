package dev.vlltr.orchestration;

import dev.vlltr.orchestration.PipelineSpec.FanOut;
import dev.vlltr.orchestration.PipelineSpec.Stage;
import dev.vlltr.orchestration.PipelineSpec.StageParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The command line of one stage execution under the stage contract, from pipeline.yaml:
 * {@code --run-id ID --artifact-root URI --tracking-uri URI [--input NAME=URI ...] [--param KEY=VALUE ...]}, inputs in
 * the given order, parameters in spec order. The Airflow DAG builds the same list (its {@code stage_arguments}); the
 * tests of both pin the same expected command line for the same spec.
 */
public final class StageArguments {

    private StageArguments() {}

    /**
     * @param spec           the pipeline
     * @param stage          the stage
     * @param runId          the run id (already in the contract's alphabet)
     * @param artifactRoot   the pipeline's artifact root (a fan-out adds its per-value suffix)
     * @param trackingUri    the MLflow tracking URI, or {@code none}
     * @param pipelineParams values of the pipeline parameters (defaults filled in by the caller)
     * @param inputs         input name to manifest URI
     * @param fanValue       the fan-out value for a fanned-out stage, else null
     */
    public static List<String> of(PipelineSpec spec, Stage stage, String runId, String artifactRoot, String trackingUri,
            Map<String, ?> pipelineParams, Map<String, String> inputs, String fanValue) {
        FanOut fan = stage.fanOut();
        if (fan != null && fanValue == null) {
            throw new IllegalArgumentException("stage '" + stage.name() + "' fans out over '" + fan.param()
                    + "': a value is required");
        }
        String root = fan != null ? fan.artifactRoot(artifactRoot, fanValue) : artifactRoot;
        List<String> args = new ArrayList<>(List.of("--run-id", runId, "--artifact-root", root,
                "--tracking-uri", trackingUri));
        inputs.forEach((name, uri) -> {
            args.add("--input");
            args.add(name + "=" + uri);
        });
        for (StageParam p : stage.params()) {
            Object value;
            if (fan != null && p.name().equals(fan.param())) {
                value = fanValue;
            } else if (p.bound()) {
                value = Objects.requireNonNull(pipelineParams.get(p.from()),
                        () -> "no value for pipeline parameter '" + p.from() + "'");
            } else {
                value = p.defaultValue();
            }
            args.add("--param");
            args.add(p.name() + "=" + format(value));
        }
        return args;
    }

    /** Booleans lower-case, lists comma-separated, whole doubles without a fraction (as YAML/JSON wrote them). */
    static String format(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(StageArguments::format).collect(Collectors.joining(","));
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return String.valueOf(d.longValue());
        }
        return String.valueOf(value);
    }
}
