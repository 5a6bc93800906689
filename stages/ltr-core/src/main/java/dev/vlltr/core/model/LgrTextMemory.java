package dev.vlltr.core.model;

import dev.vlltr.core.data.FeatureTable;
import java.util.List;

/**
 * LGR's text memory: the anchor sentences' CVLP text features as a {@code C × M × D} block with per-class counts of
 * real sentences (the rest of a class's M slots is padding, masked in the attention). Read from anchor-selection's
 * class-major table ({@code anchor-embeddings.vlft}: M rows per class, array {@code mask} 1 for real rows, real rows
 * first).
 *
 * @param data    {@code C·M·D} features, class-major
 * @param classes C
 * @param m       slots per class
 * @param dim     D
 * @param counts  real sentences per class (at least one each)
 */
public record LgrTextMemory(float[] data, int classes, int m, int dim, int[] counts) {

    /**
     * @param table      the anchors' table
     * @param classNames the CVLP model's classes, which the table must list in the same order
     * @param embedDim   the CVLP embedding dimension, the table's feature width
     * @throws IllegalArgumentException naming what does not fit
     */
    public static LgrTextMemory fromAnchorTable(FeatureTable table, List<String> classNames, int embedDim) {
        if (!table.classNames().equals(classNames)) {
            throw new IllegalArgumentException("class names " + table.classNames() + " differ from the cvlp model's "
                    + classNames);
        }
        int c = table.numClasses();
        if (table.rows() % c != 0) {
            throw new IllegalArgumentException(table.rows() + " rows is not C x M for C = " + c);
        }
        int m = table.rows() / c;
        float[][] f = table.array(FeatureTable.FEATURES);
        float[][] mask = table.array("mask");
        int d = f[0].length;
        if (d != embedDim) {
            throw new IllegalArgumentException("features are " + d + " wide, the cvlp embedding is " + embedDim);
        }
        float[] data = new float[c * m * d];
        int[] counts = new int[c];
        for (int r = 0; r < table.rows(); r++) {
            int cls = r / m;
            if (table.labels()[r] != cls) {
                throw new IllegalArgumentException("row " + r + " has label " + table.labels()[r] + ", expected "
                        + cls + " (class-major rows)");
            }
            if (mask[r][0] > 0) {
                if (counts[cls] != r % m) {
                    throw new IllegalArgumentException("class " + cls + " has a real sentence after padding (row " + r
                            + ")");
                }
                counts[cls]++;
            }
            System.arraycopy(f[r], 0, data, r * d, d);
        }
        for (int k = 0; k < c; k++) {
            if (counts[k] == 0) {
                throw new IllegalArgumentException("class " + k + " has no anchor sentence");
            }
        }
        return new LgrTextMemory(data, c, m, d, counts);
    }
}
