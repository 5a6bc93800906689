package dev.vlltr.stage.evaluation;

import dev.vlltr.core.eval.EvaluationReport;

/** A row with its evaluation on the validation and test splits. */
public record RowResult(ModelRow row, EvaluationReport val, EvaluationReport test) {

    /**
     * A metric by {@code <split>/<key>} with the keys of {@link EvaluationReport#toMetrics()} ({@code val/top1},
     * {@code test/few_acc}, {@code val/terciles/few_acc}); NaN when the split or key is unknown or the group empty.
     */
    public double metric(String qualified) {
        int slash = qualified.indexOf('/');
        if (slash < 0) {
            return Double.NaN;
        }
        String split = qualified.substring(0, slash);
        EvaluationReport r = split.equals("val") ? val : split.equals("test") ? test : null;
        if (r == null) {
            return Double.NaN;
        }
        return r.toMetrics().getOrDefault(qualified.substring(slash + 1), Double.NaN);
    }
}
