package dev.vlltr.core.eval;

/**
 * Top-1 confusion counts: {@code counts[t][p]} = samples of true class t predicted as p (rows true, columns
 * predicted).
 */
public record ConfusionMatrix(long[][] counts) {

    public static ConfusionMatrix of(float[][] scores, int[] labels) {
        int c = Scores.check(scores, labels, "ConfusionMatrix");
        long[][] m = new long[c][c];
        for (int i = 0; i < scores.length; i++) {
            m[labels[i]][Scores.argmax(scores[i])]++;
        }
        return new ConfusionMatrix(m);
    }

    public int numClasses() {
        return counts.length;
    }

    public long get(int trueClass, int predictedClass) {
        return counts[trueClass][predictedClass];
    }
}
