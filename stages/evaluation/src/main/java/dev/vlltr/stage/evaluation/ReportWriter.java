package dev.vlltr.stage.evaluation;

import dev.vlltr.core.eval.EvaluationReport;
import dev.vlltr.core.eval.ReliabilityBin;
import dev.vlltr.core.eval.ShotConvention;
import dev.vlltr.core.eval.ShotGroup;
import dev.vlltr.core.eval.ShotSplitResult;
import dev.vlltr.runtime.report.HtmlReport;
import dev.vlltr.runtime.report.Plots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The plots (XChart PNGs via {@link Plots}) and the self-contained HTML report of an evaluation. */
public final class ReportWriter {

    /** The rendered plots. */
    public record Figures(byte[] perClass, byte[] reliability, byte[] confusion, byte[] shots) {}

    private ReportWriter() {}

    public static Figures figures(List<RowResult> results, ModelSelection.Choice choice, List<String> classNames,
            int[] trainCounts) throws IOException {
        long[] counts = new long[trainCounts.length];
        for (int c = 0; c < counts.length; c++) {
            counts[c] = trainCounts[c];
        }
        Map<String, double[]> perClass = new LinkedHashMap<>();
        Map<String, double[]> shots = new LinkedHashMap<>();
        for (RowResult r : results) {
            perClass.put(r.row().name(), r.test().perClass().accuracies());
            ShotSplitResult t = r.test().shotSplits().get(ShotConvention.TERCILES);
            shots.put(r.row().name(), new double[] {t.accuracy("many"), t.accuracy("medium"), t.accuracy("few")});
        }
        EvaluationReport sel = choice.row().test();
        List<ReliabilityBin> bins = sel.calibration().bins();
        double[] upper = new double[bins.size()];
        double[] acc = new double[bins.size()];
        double[] conf = new double[bins.size()];
        for (int i = 0; i < bins.size(); i++) {
            upper[i] = bins.get(i).upper();
            acc[i] = bins.get(i).accuracy();
            conf[i] = bins.get(i).meanConfidence();
        }
        String name = choice.row().row().name();
        return new Figures(
                Plots.perClassAccuracy("Per-class test accuracy against training images", counts, perClass),
                Plots.reliabilityDiagram(String.format(Locale.ROOT, "Reliability, %s (test ECE %.2f%%)", name,
                        100 * sel.calibration().ece()), upper, acc, conf),
                sel.confusion() == null ? null
                        : Plots.confusionMatrix("Confusion matrix, " + name + " (test)", classNames,
                                sel.confusion().counts()),
                Plots.groupedBars("Test accuracy by class tercile of training count",
                        "classes by training images (terciles)", "accuracy",
                        List.of("many (top third)", "medium", "few (bottom third)"), shots));
    }

    public static byte[] html(String runId, List<RowResult> results, ComparisonTable table,
            ModelSelection.Choice choice, List<String> classNames, int[] trainCounts, Figures figures,
            Registration registration, Map<String, String> inputs) {
        HtmlReport r = new HtmlReport("VL-LTR evaluation, run " + runId);
        r.paragraph("Every model of the run on the same balanced validation split and test split. Accuracies in"
                + " percent; shot groups use the training counts. ECE: 15 equal-width confidence bins of the top-1"
                + " probability (softmax of logits; the α-mix is already a probability).");
        r.heading("Comparison");
        r.table(table.displayRows(), results.indexOf(choice.row()), table.secondaryColumns());
        ModelRow sel = choice.row().row();
        r.paragraph(String.format(Locale.ROOT, "★ Selected for registration (highlighted): %s (%s = %.4f)."
                + " Registry: %s.", sel.name(), choice.metric(), choice.value(), registration.status()));
        r.heading("Shot groups");
        List<List<String>> groups = new ArrayList<>();
        groups.add(List.of("convention", "group", "rule (training count n)", "classes", "test images", "aggregation"));
        for (ShotSplitResult s : choice.row().test().shotSplits().values()) {
            for (ShotGroup g : s.groups()) {
                groups.add(List.of(s.convention().key(), g.name(), g.rule(), String.valueOf(g.numClasses()),
                        String.valueOf(g.numSamples()), s.aggregation().name().toLowerCase(Locale.ROOT)));
            }
        }
        r.table(groups);
        r.heading("Per-class accuracy");
        r.image("Per-class test accuracy against the number of training images (log scale), one series per model",
                figures.perClass());
        List<List<String>> pc = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("class", "train images"));
        results.forEach(x -> header.add(x.row().name()));
        pc.add(header);
        for (int c = 0; c < classNames.size(); c++) {
            List<String> row = new ArrayList<>(List.of(classNames.get(c), String.valueOf(trainCounts[c])));
            for (RowResult x : results) {
                double a = x.test().perClass().accuracy(c);
                row.add(Double.isNaN(a) ? "–" : String.format(Locale.ROOT, "%.2f", 100 * a));
            }
            pc.add(row);
        }
        r.table(pc);
        r.image("Test accuracy per class tercile (by training count)", figures.shots());
        r.heading("Calibration and confusion of the selected model");
        r.image("Reliability diagram: accuracy per confidence bin against the diagonal", figures.reliability());
        if (figures.confusion() != null) {
            r.image("Confusion matrix (rows: true class, normalised per row)", figures.confusion());
        }
        r.heading("Details");
        List<List<String>> details = new ArrayList<>();
        details.add(List.of("model", "input", "details"));
        for (RowResult x : results) {
            details.add(List.of(x.row().name(), x.row().input(), x.row().details().toString()));
        }
        r.table(details);
        List<List<String>> in = new ArrayList<>();
        in.add(List.of("input", "manifest"));
        inputs.forEach((k, v) -> in.add(List.of(k, v)));
        r.table(in);
        return r.toBytes();
    }
}
