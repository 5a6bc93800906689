package dev.vlltr.core.model.clip;

/**
 * What {@link ClipStateDict} does when a checkpoint's image positional embedding was made for another image size.
 */
public enum PositionalEmbeddingResize {
    /** The faithful default: the image size must be the checkpoint's (a mismatch is an error naming the tensor). */
    NONE,
    /**
     * open_clip's {@code resize_pos_embed}: keep the first (class / mean) token, resize the square grid with {@code
     * F.interpolate(mode='bicubic', antialias=True, align_corners=False)} (Keys' cubic with a = −0.5, the filter
     * widened by the scale when shrinking, weights normalised). Applied to ViT's {@code visual.positional_embedding}
     * and to ModifiedResNet's {@code visual.attnpool.positional_embedding} alike.
     */
    BICUBIC;

    /**
     * Resizes a positional embedding, a pure function.
     *
     * @param table row-major {@code (1 + g², D)}
     * @param width D
     * @param newGrid g'
     * @return row-major {@code (1 + g'², D)}
     */
    public static float[] bicubicAntialias(float[] table, int width, int newGrid) {
        int rows = table.length / width;
        int grid = (int) Math.round(Math.sqrt(rows - 1));
        if (grid * grid + 1 != rows || (long) rows * width != table.length) {
            throw new IllegalArgumentException("positional embedding of " + rows + " rows is not 1 + g² rows of "
                    + width);
        }
        float[] out = new float[(1 + newGrid * newGrid) * width];
        System.arraycopy(table, 0, out, 0, width);
        Weights w = Weights.of(grid, newGrid);
        // rows first (along x), then columns (along y); in double, rounded once
        double[] tmp = new double[grid * newGrid * width];
        for (int y = 0; y < grid; y++) {
            for (int x = 0; x < newGrid; x++) {
                for (int j = 0; j < w.size[x]; j++) {
                    double wt = w.weight[x][j];
                    int src = (1 + y * grid + w.min[x] + j) * width;
                    int dst = (y * newGrid + x) * width;
                    for (int d = 0; d < width; d++) {
                        tmp[dst + d] += wt * table[src + d];
                    }
                }
            }
        }
        for (int y = 0; y < newGrid; y++) {
            for (int x = 0; x < newGrid; x++) {
                int dst = (1 + y * newGrid + x) * width;
                for (int d = 0; d < width; d++) {
                    double sum = 0;
                    for (int j = 0; j < w.size[y]; j++) {
                        sum += w.weight[y][j] * tmp[((w.min[y] + j) * newGrid + x) * width + d];
                    }
                    out[dst + d] = (float) sum;
                }
            }
        }
        return out;
    }

    /** PyTorch's {@code _compute_indices_min_size_weights_aa} for bicubic (interp size 4, a = −0.5). */
    private static final class Weights {
        final int[] min;
        final int[] size;
        final double[][] weight;

        private Weights(int n) {
            min = new int[n];
            size = new int[n];
            weight = new double[n][];
        }

        static Weights of(int in, int out) {
            double scale = (double) in / out;
            double support = scale >= 1 ? 2 * scale : 2;
            double invScale = scale >= 1 ? 1 / scale : 1;
            Weights w = new Weights(out);
            for (int i = 0; i < out; i++) {
                double center = scale * (i + 0.5);
                int lo = (int) Math.max((long) (center - support + 0.5), 0L);
                int n = (int) Math.min((long) (center + support + 0.5), in) - lo;
                double[] ws = new double[n];
                double total = 0;
                for (int j = 0; j < n; j++) {
                    ws[j] = cubic((j + lo - center + 0.5) * invScale);
                    total += ws[j];
                }
                for (int j = 0; j < n && total != 0; j++) {
                    ws[j] /= total;
                }
                w.min[i] = lo;
                w.size[i] = n;
                w.weight[i] = ws;
            }
            return w;
        }

        private static double cubic(double x) {
            final double a = -0.5;
            x = Math.abs(x);
            if (x < 1) {
                return ((a + 2) * x - (a + 3)) * x * x + 1;
            }
            if (x < 2) {
                return (((x - 5) * x + 8) * x - 4) * a;
            }
            return 0;
        }
    }
}
