package dev.vlltr.stage.evaluation;

import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageParams;
import java.util.List;

/** The parameters of {@code evaluation} with their defaults and ranges (checked by the runtime). */
final class EvaluationSettings {

    /** Every parameter, in {@code --help} order. */
    static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.string("model-name", "vl-ltr", "Registry model name of the selected row"),
            ParamSpec.bool("register", true, "Register the selected row with the model registry ($VLLTR_REGISTRY_URL)"),
            ParamSpec.string("select-metric", ModelSelection.DEFAULT_METRIC, "Metric that selects the row to"
                    + " register: <val|test>/<key>, e.g. val/top1 (overall val accuracy), val/mean_class_acc,"
                    + " val/terciles/few_acc"),
            ParamSpec.integer("ece-bins", 15, "Equal-width confidence bins of the ECE and the reliability diagram")
                    .min(1));

    private final StageParams p;

    EvaluationSettings(StageParams p) {
        this.p = p;
    }

    /** Registry model name of the selected row. */
    String modelName() {
        return p.string("model-name");
    }

    /** Whether the selected row is to be registered. */
    boolean register() {
        return p.bool("register");
    }

    /** {@code <val|test>/<key>}, stripped (checked against the rows by {@link ModelSelection}). */
    String selectMetric() {
        return p.string("select-metric").strip();
    }

    /** Equal-width confidence bins of the ECE and the reliability diagram (>= 1). */
    int eceBins() {
        return p.integer("ece-bins");
    }
}
