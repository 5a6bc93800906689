package dev.vlltr.stage.evaluation;

import dev.vlltr.core.eval.EvaluationReport;
import dev.vlltr.core.eval.ShotConvention;
import dev.vlltr.core.eval.ShotSplitResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The comparison of all rows as one table (CSV, Markdown and the HTML report share it): validation top-1, test
 * top-1/top-5, mean per-class accuracy, many/medium/few under the Decoupling convention (n > 100, 20 ≤ n ≤ 100,
 * n < 20, mean of per-class accuracies), the VL-LTR convention (n ≥ 100, 20 < n < 100, n ≤ 20, pooled) and class
 * terciles, and the test ECE. Accuracies in percent with two decimals; an empty shot group is {@code –}.
 */
public final class ComparisonTable {

    private final List<List<String>> rows = new ArrayList<>();
    private final List<List<String>> raw = new ArrayList<>();

    public ComparisonTable(List<RowResult> results) {
        List<String> header = new ArrayList<>(List.of("model", "method", "backbone", "val top-1", "test top-1",
                "test top-5", "test mean-class"));
        for (String conv : List.of("decoupling", "vl-ltr", "terciles")) {
            for (String g : List.of("many", "medium", "few")) {
                header.add(conv + " " + g);
            }
        }
        header.add("test ECE");
        rows.add(header);
        raw.add(header);
        for (RowResult r : results) {
            EvaluationReport t = r.test();
            List<Double> values = new ArrayList<>(List.of(r.val().top1(), t.top1(), t.topKAccuracy(),
                    t.meanClassAccuracy()));
            for (ShotConvention c : List.of(ShotConvention.DECOUPLING, ShotConvention.VL_LTR,
                    ShotConvention.TERCILES)) {
                ShotSplitResult s = t.shotSplits().get(c);
                for (String g : List.of("many", "medium", "few")) {
                    values.add(s == null ? Double.NaN : s.accuracy(g));
                }
            }
            values.add(t.calibration().ece());
            List<String> shown = new ArrayList<>(List.of(r.row().name(), r.row().method(), r.row().backbone()));
            List<String> plain = new ArrayList<>(shown);
            for (double v : values) {
                shown.add(Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", 100 * v));
                plain.add(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v));
            }
            rows.add(shown);
            raw.add(plain);
        }
    }

    /**
     * The columns the HTML report hides until asked (so the table fits 1,280 px): method and backbone (the model
     * name says them), and the VL-LTR and tercile shot splits (the Decoupling convention stays as the primary one).
     */
    public java.util.Set<Integer> secondaryColumns() {
        java.util.Set<Integer> secondary = new java.util.TreeSet<>();
        List<String> header = rows.get(0);
        for (int c = 0; c < header.size(); c++) {
            String h = header.get(c);
            if (h.equals("method") || h.equals("backbone") || h.startsWith("vl-ltr ") || h.startsWith("terciles ")) {
                secondary.add(c);
            }
        }
        return secondary;
    }

    /** Header first, percentages with two decimals (for Markdown and HTML). */
    public List<List<String>> displayRows() {
        return rows;
    }

    /** RFC 4180 CSV; values are fractions in [0, 1] with six decimals, empty when undefined. */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        for (List<String> r : raw) {
            for (int i = 0; i < r.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(csvCell(r.get(i)));
            }
            sb.append("\r\n");
        }
        return sb.toString();
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        List<String> header = rows.get(0);
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        for (int i = 0; i < header.size(); i++) {
            sb.append(i < 3 ? "---|" : "---:|");
        }
        sb.append('\n');
        for (List<String> r : rows.subList(1, rows.size())) {
            sb.append("| ");
            for (int i = 0; i < r.size(); i++) {
                sb.append(i == 0 ? "" : " | ").append(r.get(i).replace("|", "\\|"));
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    static String csvCell(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
