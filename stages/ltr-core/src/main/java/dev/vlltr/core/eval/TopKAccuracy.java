package dev.vlltr.core.eval;

/**
 * Pooled top-k accuracy: fraction of samples whose true class is among the k highest scores (ties broken by class
 * index, see {@link Scores#rankOf(float[], int)}). k larger than C is clamped to C (then every sample counts).
 */
public final class TopKAccuracy {

    private TopKAccuracy() {
    }

    public static double of(float[][] scores, int[] labels, int k) {
        int c = Scores.check(scores, labels, "TopKAccuracy");
        if (k <= 0) {
            throw new IllegalArgumentException("TopKAccuracy: k must be > 0, got " + k);
        }
        int kk = Math.min(k, c);
        long correct = 0;
        for (int i = 0; i < scores.length; i++) {
            if (Scores.rankOf(scores[i], labels[i]) < kk) {
                correct++;
            }
        }
        return (double) correct / scores.length;
    }
}
