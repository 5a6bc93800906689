package dev.vlltr.core.eval;

/** Shared checks and ranking helpers for N×C score matrices. */
public final class Scores {

    private Scores() {
    }

    /**
     * Validates an N×C score matrix against N labels in {@code [0, C)}.
     *
     * @return C
     */
    public static int check(float[][] scores, int[] labels, String who) {
        if (scores == null || labels == null) {
            throw new IllegalArgumentException(who + ": scores and labels must not be null");
        }
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(who + ": " + scores.length + " score rows but " + labels.length
                    + " labels");
        }
        if (scores.length == 0) {
            throw new IllegalArgumentException(who + ": no samples to evaluate");
        }
        int c = scores[0] == null ? 0 : scores[0].length;
        if (c == 0) {
            throw new IllegalArgumentException(who + ": score row 0 is empty, expected C > 0 classes");
        }
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] == null || scores[i].length != c) {
                throw new IllegalArgumentException(who + ": score row " + i + " has "
                        + (scores[i] == null ? "no" : String.valueOf(scores[i].length)) + " values, expected " + c);
            }
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException(who + ": label[" + i + "] = " + labels[i] + " is outside [0, "
                        + c + ")");
            }
        }
        return c;
    }

    /** Index of the largest score; the first one among ties (as {@code numpy.argmax}). NaN never wins. */
    public static int argmax(float[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best] || (Float.isNaN(row[best]) && !Float.isNaN(row[c]))) {
                best = c;
            }
        }
        return best;
    }

    /** Top-1 prediction of every row. */
    public static int[] predictions(float[][] scores) {
        int[] p = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            p[i] = argmax(scores[i]);
        }
        return p;
    }

    /**
     * 0-based rank of class {@code y} in {@code row} under a stable descending order: the number of classes with a
     * strictly larger score plus the number of lower-indexed classes with an equal score (consistent with
     * {@link #argmax(float[])}: rank 0 ⇔ argmax).
     */
    public static int rankOf(float[] row, int y) {
        float s = row[y];
        int rank = 0;
        for (int c = 0; c < row.length; c++) {
            if (row[c] > s || (c < y && row[c] == s)) {
                rank++;
            }
        }
        return rank;
    }
}
