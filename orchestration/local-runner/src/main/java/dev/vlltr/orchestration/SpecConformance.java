package dev.vlltr.orchestration;

import dev.vlltr.orchestration.PipelineSpec.Stage;
import dev.vlltr.orchestration.PipelineSpec.StageInput;
import dev.vlltr.orchestration.PipelineSpec.StageParam;
import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Does a stage app's CLI ({@link StageDefinition}: what {@code --help} documents and the runtime enforces) agree with
 * pipeline.yaml? Compares parameter names, types, defaults (a bound parameter's default is its pipeline parameter's
 * default) and enum choices of every parameter pipeline.yaml sets (app-only parameters must have a default), and input names (a fan-in input expands to {@code <name>-<value>} for every value the
 * upstream fan-out can take) and their required flags. An empty list means they agree.
 */
public final class SpecConformance {

    private SpecConformance() {}

    public static List<String> mismatches(PipelineSpec spec, Stage stage, StageDefinition app) {
        List<String> out = new ArrayList<>();
        String where = "stage '" + stage.name() + "'";
        if (!stage.name().equals(app.name())) {
            out.add(where + ": the app calls itself '" + app.name() + "'");
        }
        Map<String, ParamSpec> appParams = new LinkedHashMap<>();
        app.params().forEach(p -> appParams.put(p.name(), p));
        for (StageParam p : stage.params()) {
            ParamSpec a = appParams.remove(p.name());
            if (a == null) {
                out.add(where + ": parameter '" + p.name() + "' is in pipeline.yaml but not in the app");
                continue;
            }
            if (a.type() != p.type().runtimeType()) {
                out.add(where + ": parameter '" + p.name() + "' is " + p.type() + " in pipeline.yaml but "
                        + a.type() + " in the app");
            }
            String specDefault = p.bound() ? StageArguments.format(spec.params().get(p.from()).defaultValue())
                    : p.defaultValue();
            boolean fanned = stage.fanOut() != null && stage.fanOut().param().equals(p.name());
            if (!fanned && !sameValue(a, specDefault, a.defaultValue())) {
                out.add(where + ": parameter '" + p.name() + "' defaults to '" + specDefault + "' in pipeline.yaml"
                        + " but to '" + a.defaultValue() + "' in the app");
            }
            List<String> choices = p.choices() == null ? List.of() : p.choices();
            if (!choices.equals(a.choices())) {
                out.add(where + ": parameter '" + p.name() + "' allows " + choices + " in pipeline.yaml but "
                        + a.choices() + " in the app");
            }
        }
        // app-only parameters with a default are expert knobs the DAG leaves at their default; a required one would
        // make every run of the pipeline fail
        appParams.values().stream().filter(ParamSpec::required).forEach(p -> out.add(where + ": required parameter '"
                + p.name() + "' of the app is not in pipeline.yaml (the runners would never set it)"));

        Map<String, Boolean> expectedInputs = new LinkedHashMap<>();
        for (StageInput in : stage.inputs()) {
            if (in.isPerFanOutValue()) {
                Stage upstream = spec.stage(in.from());
                List<Object> all = spec.params().get(upstream.fanOut().over()).items().enumValues();
                for (Object v : all == null ? List.<Object>copyOf(spec.fanOutDefaults(upstream)) : all) {
                    expectedInputs.put(in.name() + "-" + v, in.isRequired());
                }
            } else {
                expectedInputs.put(in.name(), in.isRequired());
            }
        }
        Map<String, InputSpec> appInputs = new LinkedHashMap<>();
        app.inputs().forEach(i -> appInputs.put(i.name(), i));
        expectedInputs.forEach((name, required) -> {
            InputSpec a = appInputs.remove(name);
            if (a == null) {
                out.add(where + ": input '" + name + "' is in pipeline.yaml but not in the app");
            } else if (a.required() != required) {
                out.add(where + ": input '" + name + "' is " + (required ? "required" : "optional")
                        + " in pipeline.yaml but " + (a.required() ? "required" : "optional") + " in the app");
            }
        });
        appInputs.values().stream().filter(InputSpec::required).forEach(i -> out.add(where + ": required input '"
                + i.name() + "' of the app is not wired in pipeline.yaml"));
        return out;
    }

    /**
     * Does every upstream output a stage app declares it reads ({@link InputSpec#reads()}) exist among the declared
     * outputs ({@link dev.vlltr.runtime.cli.OutputSpec}) of the stage app pipeline.yaml wires that input from? A
     * renamed output then fails here, not in a run. Inputs wired per fan-out value ({@code <name>-<value>}) are matched
     * by their prefix. An empty list means they agree.
     *
     * @param apps every stage app of the pipeline
     */
    public static List<String> upstreamOutputMismatches(PipelineSpec spec, List<StageDefinition> apps) {
        Map<String, StageDefinition> byName = new LinkedHashMap<>();
        apps.forEach(a -> byName.put(a.name(), a));
        List<String> out = new ArrayList<>();
        for (StageDefinition app : apps) {
            for (InputSpec in : app.inputs()) {
                if (in.reads().isEmpty()) {
                    continue;
                }
                StageInput wired = spec.stage(app.name()).inputs().stream()
                        .filter(w -> w.name().equals(in.name()) || w.isPerFanOutValue()
                                && in.name().startsWith(w.name() + "-"))
                        .findFirst().orElse(null);
                if (wired == null || wired.fromParam()) {
                    continue; // not wired in the pipeline (an optional, hand-given input), or a URI from a parameter
                }
                String where = "stage '" + app.name() + "', input '" + in.name() + "' (from '" + wired.from() + "')";
                StageDefinition upstream = byName.get(wired.from());
                if (upstream == null || upstream.outputs().isEmpty()) {
                    out.add(where + ": reads " + in.reads() + " but stage app '" + wired.from()
                            + "' declares no outputs");
                    continue;
                }
                for (String read : in.reads()) {
                    if (upstream.output(read).isEmpty()) {
                        out.add(where + ": reads output '" + read + "', which '" + wired.from() + "' does not"
                                + " declare; it declares " + upstream.outputs().stream().map(o -> o.name()).toList());
                    }
                }
            }
        }
        return out;
    }

    /** Same value as the app parses it: {@code 5.0E-4} equals {@code 0.0005}, {@code 100} equals {@code 100.0}. */
    private static boolean sameValue(ParamSpec type, String a, String b) {
        if (a == null || b == null) {
            return Objects.equals(a, b);
        }
        try {
            return Objects.equals(type.parse(a), type.parse(b));
        } catch (RuntimeException e) {
            return a.equals(b);
        }
    }
}
