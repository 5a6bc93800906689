package dev.vlltr.core.calibrate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Outcome of a {@link TauSweep}: every τ tried with its validation score, and the chosen τ.
 *
 * @param taus      the grid, in the order tried
 * @param scores    the validation score of each τ
 * @param metric    the metric that was maximised
 * @param split     the split the scores were computed on (always {@link SplitRole#VALIDATION})
 * @param bestIndex index of the chosen τ (first maximum, i.e. the smallest τ among ties)
 */
public record TauSweepResult(double[] taus, double[] scores, TauSelectionMetric metric, SplitRole split,
                             int bestIndex) {

    /** The selected τ. */
    public double bestTau() {
        return taus[bestIndex];
    }

    /** Its validation score. */
    public double bestScore() {
        return scores[bestIndex];
    }

    /**
     * Flat metrics for tracking: {@code tau} (the chosen τ), {@code tau_val_score} and one
     * {@code tau_sweep/val_score_tau_<τ>} per grid point (τ with one decimal, e.g. {@code 0.6}).
     */
    public Map<String, Double> toMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("tau", bestTau());
        m.put("tau_val_score", bestScore());
        for (int i = 0; i < taus.length; i++) {
            m.put(String.format(java.util.Locale.ROOT, "tau_sweep/val_score_tau_%.1f", taus[i]), scores[i]);
        }
        return m;
    }

    /** τ → score, in grid order (for tracking/reporting). */
    public Map<Double, Double> scoresByTau() {
        Map<Double, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < taus.length; i++) {
            m.put(taus[i], scores[i]);
        }
        return m;
    }
}
