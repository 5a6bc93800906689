package dev.vlltr.orchestration.local;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A stage's headline metrics (its manifest's {@code metrics}) as the few {@code key=value} pairs of its console
 * line: top-1 accuracies first (the number a reader looks for), then the others in the manifest's order; counts as
 * integers ({@code train_images=14870}, not {@code 1.487e+04}), other values with four decimals.
 */
final class HeadlineMetrics {

    /** Pairs shown per stage; the manifest and MLflow have them all. */
    static final int SHOWN = 5;

    private HeadlineMetrics() {}

    static String format(Map<String, Double> metrics) {
        List<Map.Entry<String, Double>> entries = new ArrayList<>(metrics.entrySet());
        // stable sort: top-1 first (test before val, the shortest key first), the rest keep their order
        entries.sort(Comparator.comparingInt(HeadlineMetrics::rank));
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : entries.subList(0, Math.min(SHOWN, entries.size()))) {
            sb.append(sb.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(value(e.getValue()));
        }
        return sb.toString();
    }

    private static int rank(Map.Entry<String, Double> e) {
        String key = e.getKey();
        if (!(key.endsWith("top1") || key.endsWith("top-1") || key.endsWith("top_1"))) {
            return 1000;
        }
        return (key.contains("val") ? 500 : 0) + key.length();
    }

    static String value(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? String.format(Locale.ROOT, "%.4g", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
