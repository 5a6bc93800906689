package dev.vlltr.stage.evaluation;

import dev.vlltr.runtime.cli.BadInputException;
import java.util.List;
import java.util.TreeSet;

/**
 * Picks the row to register: the highest value of a metric ({@code <split>/<key>}, default {@code val/top1}, the
 * overall validation accuracy); ties go to the earlier row (LGR rows first, then recalibration methods in the order
 * crt, ncm, tau, lws, joint). Selecting on a test metric is allowed but logged as a warning by the stage, since it
 * leaks the test set into model choice.
 */
public final class ModelSelection {

    public static final String DEFAULT_METRIC = "val/top1";

    /** The selected row and the value that won. */
    public record Choice(RowResult row, String metric, double value) {}

    private ModelSelection() {}

    public static Choice select(List<RowResult> rows, String metric) {
        RowResult best = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (RowResult r : rows) {
            double v = r.metric(metric);
            if (!Double.isNaN(v) && v > bestValue) {
                best = r;
                bestValue = v;
            }
        }
        if (best == null) {
            TreeSet<String> known = new TreeSet<>();
            for (RowResult r : rows) {
                r.val().toMetrics().keySet().forEach(k -> known.add("val/" + k));
                r.test().toMetrics().keySet().forEach(k -> known.add("test/" + k));
            }
            throw new BadInputException("parameter 'select-metric': '" + metric + "' is not defined for any row;"
                    + " expected <val|test>/<metric>, one of " + known);
        }
        return new Choice(best, metric, bestValue);
    }
}
