package dev.vlltr.core.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything {@link Evaluator} computes for one score matrix.
 *
 * @param numSamples        N
 * @param numClasses        C
 * @param top1              pooled top-1 accuracy
 * @param topK              the k of {@link #topKAccuracy}
 * @param topKAccuracy      pooled top-k accuracy (k clamped to C)
 * @param meanClassAccuracy mean of per-class accuracies over the classes present
 * @param perClass          per-class counts
 * @param confusion         confusion matrix, or {@code null} when disabled
 *                          ({@link Evaluator.Builder#optConfusionMatrix(boolean)})
 * @param shotSplits        results per requested convention (insertion order)
 * @param primaryConvention the convention behind the unprefixed {@code many_acc}/{@code medium_acc}/{@code few_acc}
 * @param calibration       ECE and reliability bins
 */
public record EvaluationReport(int numSamples, int numClasses, double top1, int topK, double topKAccuracy,
                               double meanClassAccuracy, PerClassAccuracy perClass, ConfusionMatrix confusion,
                               Map<ShotConvention, ShotSplitResult> shotSplits, ShotConvention primaryConvention,
                               CalibrationResult calibration) {

    public EvaluationReport {
        shotSplits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shotSplits));
    }

    /**
     * Flat metrics for tracking: {@code top1}, {@code top<k>}, {@code mean_class_acc}, {@code ece}, {@code mce},
     * {@code many_acc}/{@code medium_acc}/{@code few_acc} of the primary convention, and
     * {@code <convention>/<group>_acc} for every convention and group (e.g. {@code vl_ltr/10shot_acc},
     * {@code terciles/few_acc}). NaN values (empty groups) are left out.
     */
    public Map<String, Double> toMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        put(m, "top1", top1);
        put(m, "top" + topK, topKAccuracy);
        put(m, "mean_class_acc", meanClassAccuracy);
        put(m, "ece", calibration.ece());
        put(m, "mce", calibration.mce());
        ShotSplitResult primary = shotSplits.get(primaryConvention);
        if (primary != null) {
            for (String g : new String[] {"many", "medium", "few"}) {
                put(m, g + "_acc", primary.accuracy(g));
            }
        }
        for (ShotSplitResult r : shotSplits.values()) {
            for (ShotGroup g : r.groups()) {
                put(m, r.convention().key() + "/" + g.name() + "_acc", g.accuracy());
            }
        }
        return m;
    }

    private static void put(Map<String, Double> m, String key, double v) {
        if (!Double.isNaN(v)) {
            m.put(key, v);
        }
    }
}
