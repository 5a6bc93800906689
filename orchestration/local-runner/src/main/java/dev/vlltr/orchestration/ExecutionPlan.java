package dev.vlltr.orchestration;

import dev.vlltr.orchestration.PipelineSpec.PipelineParam;
import dev.vlltr.orchestration.PipelineSpec.Stage;
import dev.vlltr.orchestration.PipelineSpec.StageInput;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.store.ArtifactUris;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every stage execution of one pipeline run, in dependency order, with its arguments: what the local runner executes
 * one process at a time. Unlike Airflow it needs no XCom: a stage's manifest location is fixed by the stage contract
 * ({@code <artifact-root>/<run-id>/<stage>/manifest.json}, per fan-out value under its own root), so downstream inputs
 * are known before anything runs.
 */
public final class ExecutionPlan {

    /** The stage runtime's run-id rule ({@code StageRunner}). */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}");

    private ExecutionPlan() {}

    /**
     * @param overrides pipeline parameter values replacing the spec's defaults (as the trigger form would)
     * @throws IllegalArgumentException for a bad run id, an unknown parameter or a fan-out value the stage does not
     *     allow
     */
    public static List<StageExecution> of(PipelineSpec spec, String runId, String artifactRoot, String trackingUri,
            Map<String, ?> overrides) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run id: expected 1-200 letters, digits, '.', '_', ':', '+', '-'"
                    + " starting with a letter or digit, got '" + runId + "'");
        }
        URI root = ArtifactUris.parse(artifactRoot, "artifact root");
        Map<String, Object> params = new LinkedHashMap<>();
        spec.params().forEach((k, p) -> params.put(k, p.defaultValue()));
        overrides.forEach((k, v) -> {
            if (!spec.params().containsKey(k)) {
                throw new IllegalArgumentException("unknown pipeline parameter '" + k + "'; expected one of "
                        + spec.params().keySet());
            }
            params.put(k, v);
        });

        Map<String, Map<String, URI>> manifests = new LinkedHashMap<>();  // stage -> fan value ("" if none) -> URI
        List<StageExecution> plan = new ArrayList<>();
        for (Stage stage : spec.stages()) {
            Map<String, String> inputs = new LinkedHashMap<>();
            for (StageInput in : stage.inputs()) {
                if (in.fromParam()) {
                    if (!in.absent(params)) {
                        inputs.put(in.name(), in.uri(params));
                    }
                    continue;
                }
                Map<String, URI> upstream = manifests.get(in.from());
                if (in.isPerFanOutValue()) {
                    upstream.forEach((value, uri) -> inputs.put(in.name() + "-" + value, uri.toString()));
                } else {
                    inputs.put(in.name(), upstream.get("").toString());
                }
            }
            Map<String, URI> produced = new LinkedHashMap<>();
            for (String value : fanValues(spec, stage, params)) {
                String fanValue = value.isEmpty() ? null : value;
                String stageRoot = fanValue == null ? root.toString()
                        : stage.fanOut().artifactRoot(root.toString(), value);
                URI manifest = Manifests.manifestUri(URI.create(stageRoot), runId, stage.name());
                // StageArguments applies the fan-out suffix itself: hand it the pipeline's root
                List<String> args = StageArguments.of(spec, stage, runId, root.toString(), trackingUri, params, inputs,
                        fanValue);
                plan.add(new StageExecution(stage.name(), fanValue, args, manifest));
                produced.put(value, manifest);
            }
            manifests.put(stage.name(), produced);
        }
        return plan;
    }

    /** The fan-out values of a stage (checked against the stage parameter's choices), or a single "" when none. */
    private static List<String> fanValues(PipelineSpec spec, Stage stage, Map<String, Object> params) {
        if (stage.fanOut() == null) {
            return List.of("");
        }
        Object raw = params.get(stage.fanOut().over());
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("pipeline parameter '" + stage.fanOut().over()
                    + "': expected a non-empty list, got " + raw);
        }
        PipelineParam over = spec.params().get(stage.fanOut().over());
        List<String> allowed = stage.param(stage.fanOut().param()).map(PipelineSpec.StageParam::choices).orElse(null);
        List<String> values = new ArrayList<>();
        for (Object v : list) {
            String s = String.valueOf(v);
            if (allowed != null && !allowed.contains(s)) {
                throw new IllegalArgumentException("pipeline parameter '" + stage.fanOut().over() + "': '" + s
                        + "' is not one of " + allowed);
            }
            if (values.contains(s)) {
                throw new IllegalArgumentException("pipeline parameter '" + stage.fanOut().over() + "': '" + s
                        + "' appears twice"
                        + (Boolean.TRUE.equals(over.uniqueItems()) ? " (items must be unique)" : ""));
            }
            values.add(s);
        }
        return values;
    }
}
