package dev.vlltr.core.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Expected calibration error with equal-width confidence bins (Guo et al. 2017; MiSLAS reports it for
 * long-tailed recognition with 15 bins, the default here). Confidence = top-1 softmax probability; sample i falls
 * in bin b (0-based) iff {@code b/B < conf_i ≤ (b+1)/B}; a confidence of exactly 0 goes to the first bin.
 */
public final class ExpectedCalibrationError {

    /** Default number of bins. */
    public static final int DEFAULT_BINS = 15;

    private ExpectedCalibrationError() {
    }

    /** From logits: softmax (double precision, max-subtracted), then {@link #fromProbabilities}. */
    public static CalibrationResult fromLogits(float[][] logits, int[] labels, int numBins) {
        Scores.check(logits, labels, "ExpectedCalibrationError");
        double[] conf = new double[logits.length];
        int[] pred = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            float[] row = logits[i];
            int am = Scores.argmax(row);
            double max = row[am];
            double z = 0;
            for (float v : row) {
                z += Math.exp(v - max);
            }
            conf[i] = 1.0 / z;
            pred[i] = am;
        }
        return compute(conf, pred, labels, numBins);
    }

    /** From probabilities (rows are not re-normalised; values must lie in [0, 1]). */
    public static CalibrationResult fromProbabilities(float[][] probabilities, int[] labels, int numBins) {
        Scores.check(probabilities, labels, "ExpectedCalibrationError");
        double[] conf = new double[probabilities.length];
        int[] pred = new int[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            pred[i] = Scores.argmax(probabilities[i]);
            conf[i] = probabilities[i][pred[i]];
            if (!(conf[i] >= 0 && conf[i] <= 1)) {
                throw new IllegalArgumentException("ExpectedCalibrationError: probability row " + i
                        + " has top value " + conf[i] + ", expected a probability in [0, 1]");
            }
        }
        return compute(conf, pred, labels, numBins);
    }

    static CalibrationResult compute(double[] conf, int[] pred, int[] labels, int numBins) {
        if (numBins <= 0) {
            throw new IllegalArgumentException("ExpectedCalibrationError: number of bins must be > 0, got " + numBins);
        }
        long[] count = new long[numBins];
        long[] correct = new long[numBins];
        double[] confSum = new double[numBins];
        for (int i = 0; i < conf.length; i++) {
            int b = (int) Math.ceil(conf[i] * numBins) - 1;
            b = Math.max(0, Math.min(numBins - 1, b));
            // make the bin agree with exact comparisons against the edges b/B (rounding of conf * B)
            while (b > 0 && conf[i] <= (double) b / numBins) {
                b--;
            }
            while (b < numBins - 1 && conf[i] > (double) (b + 1) / numBins) {
                b++;
            }
            count[b]++;
            confSum[b] += conf[i];
            if (pred[i] == labels[i]) {
                correct[b]++;
            }
        }
        List<ReliabilityBin> bins = new ArrayList<>();
        double ece = 0;
        double mce = 0;
        for (int b = 0; b < numBins; b++) {
            double acc = count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
            double mc = count[b] == 0 ? Double.NaN : confSum[b] / count[b];
            if (count[b] > 0) {
                double gap = Math.abs(acc - mc);
                ece += gap * count[b] / conf.length;
                mce = Math.max(mce, gap);
            }
            bins.add(new ReliabilityBin((double) b / numBins, (double) (b + 1) / numBins, count[b], acc, mc));
        }
        return new CalibrationResult(ece, mce, bins);
    }
}
