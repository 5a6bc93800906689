package dev.vlltr.core.eval;

/**
 * Top-1 correct/total counts per class of the evaluated split.
 *
 * @param correct per class, samples of that class predicted correctly
 * @param total   per class, samples of that class in the evaluated split
 */
public record PerClassAccuracy(long[] correct, long[] total) {

    /** Counts from top-1 predictions of an N×C score matrix. */
    public static PerClassAccuracy of(float[][] scores, int[] labels, int numClasses) {
        int c = Scores.check(scores, labels, "PerClassAccuracy");
        if (c != numClasses) {
            throw new IllegalArgumentException("PerClassAccuracy: scores have " + c + " columns, expected "
                    + numClasses + " classes");
        }
        return fromPredictions(Scores.predictions(scores), labels, numClasses);
    }

    /** Counts from predicted class ids. */
    public static PerClassAccuracy fromPredictions(int[] predictions, int[] labels, int numClasses) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException("PerClassAccuracy: " + predictions.length + " predictions but "
                    + labels.length + " labels");
        }
        long[] correct = new long[numClasses];
        long[] total = new long[numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("PerClassAccuracy: label[" + i + "] = " + labels[i]
                        + " is outside [0, " + numClasses + ")");
            }
            total[labels[i]]++;
            if (predictions[i] == labels[i]) {
                correct[labels[i]]++;
            }
        }
        return new PerClassAccuracy(correct, total);
    }

    public int numClasses() {
        return total.length;
    }

    /** Accuracy of class {@code c}; NaN when the class has no sample in the evaluated split. */
    public double accuracy(int c) {
        return total[c] == 0 ? Double.NaN : (double) correct[c] / total[c];
    }

    /** All per-class accuracies (NaN for absent classes). */
    public double[] accuracies() {
        double[] a = new double[total.length];
        for (int c = 0; c < a.length; c++) {
            a[c] = accuracy(c);
        }
        return a;
    }

    /**
     * Mean of per-class accuracies over the classes present in the split (Decoupling's "All" in
     * {@code tau_norm.py}); NaN if no class is present.
     */
    public double meanOverPresentClasses() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < total.length; c++) {
            if (total[c] > 0) {
                sum += (double) correct[c] / total[c];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
