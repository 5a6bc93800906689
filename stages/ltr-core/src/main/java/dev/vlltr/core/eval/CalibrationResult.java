package dev.vlltr.core.eval;

import java.util.List;

/**
 * Calibration of top-1 confidences.
 *
 * @param ece  expected calibration error {@code Σ_b |B_b|/N · |acc(B_b) − conf(B_b)|}
 * @param mce  maximum calibration error {@code max_b |acc(B_b) − conf(B_b)|} over non-empty bins
 * @param bins the reliability-diagram bins, lowest first
 */
public record CalibrationResult(double ece, double mce, List<ReliabilityBin> bins) {

    public CalibrationResult {
        bins = List.copyOf(bins);
    }
}
