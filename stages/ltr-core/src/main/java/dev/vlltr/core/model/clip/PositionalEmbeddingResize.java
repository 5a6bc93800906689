package dev.vlltr.core.model.clip;

/**
 * What {@link ClipStateDict} does when a checkpoint's image positional embedding was made for another image size (a
 * {@code (1 + g², D)} table: the class or mean token, then the g×g grid row-major).
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
    BICUBIC,
    /**
     * VL-LTR's own {@code interpolate_pos_embed} (its {@code models/layers/weight_init.py}, applied to the ViT's
     * checkpoint embedding when CVLP loads CLIP): first token kept, the square grid resized with {@code
     * F.interpolate(mode='bicubic', align_corners=False)} <em>without</em> antialiasing (Keys' cubic with a = −0.75 on
     * the 4 nearest rows/columns, indices clamped at the border). At the checkpoint's size it is the identity.
     */
    BICUBIC_VL_LTR;

    /**
     * Resizes a positional embedding as this option says, a pure function.
     *
     * @param table row-major {@code (1 + g², D)}
     * @param width D
     * @param newGrid g'
     * @return row-major {@code (1 + g'², D)}
     * @throws IllegalStateException for {@link #NONE}
     */
    public float[] resize(float[] table, int width, int newGrid) {
        return switch (this) {
            case NONE -> throw new IllegalStateException("positional embedding resizing is off");
            case BICUBIC -> bicubicAntialias(table, width, newGrid);
            case BICUBIC_VL_LTR -> separable(table, width, newGrid, Weights.bicubic(gridOf(table, width), newGrid));
        };
    }

    private static int gridOf(float[] table, int width) {
        int rows = table.length / width;
        int grid = (int) Math.round(Math.sqrt(rows - 1));
        if (grid * grid + 1 != rows || (long) rows * width != table.length) {
            throw new IllegalArgumentException("positional embedding of " + rows + " rows is not 1 + g² rows of "
                    + width);
        }
        return grid;
    }

    /**
     * Resizes a positional embedding, a pure function.
     *
     * @param table row-major {@code (1 + g², D)}
     * @param width D
     * @param newGrid g'
     * @return row-major {@code (1 + g'², D)}
     */
    public static float[] bicubicAntialias(float[] table, int width, int newGrid) {
        return separable(table, width, newGrid, Weights.antialias(gridOf(table, width), newGrid));
    }

    /** Applies the 1-D weights along x, then along y, in double, rounding once; the first row is copied. */
    private static float[] separable(float[] table, int width, int newGrid, Weights w) {
        int grid = gridOf(table, width);
        float[] out = new float[(1 + newGrid * newGrid) * width];
        System.arraycopy(table, 0, out, 0, width);
        double[] tmp = new double[grid * newGrid * width];
        for (int y = 0; y < grid; y++) {
            for (int x = 0; x < newGrid; x++) {
                for (int j = 0; j < w.size[x]; j++) {
                    double wt = w.weight[x][j];
                    int src = (1 + y * grid + w.index[x][j]) * width;
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
                        sum += w.weight[y][j] * tmp[(w.index[y][j] * newGrid + x) * width + d];
                    }
                    out[dst + d] = (float) sum;
                }
            }
        }
        return out;
    }

    /** 1-D interpolation weights: for output i, {@code size[i]} taps at source {@code index[i][j]}. */
    private static final class Weights {
        final int[] size;
        final int[][] index;
        final double[][] weight;

        private Weights(int n) {
            size = new int[n];
            index = new int[n][];
            weight = new double[n][];
        }

        /** PyTorch's {@code _compute_indices_min_size_weights_aa} for bicubic (interp size 4, a = −0.5). */
        static Weights antialias(int in, int out) {
            double scale = (double) in / out;
            double support = scale >= 1 ? 2 * scale : 2;
            double invScale = scale >= 1 ? 1 / scale : 1;
            Weights w = new Weights(out);
            for (int i = 0; i < out; i++) {
                double center = scale * (i + 0.5);
                int lo = (int) Math.max((long) (center - support + 0.5), 0L);
                int n = (int) Math.min((long) (center + support + 0.5), in) - lo;
                double[] ws = new double[n];
                int[] idx = new int[n];
                double total = 0;
                for (int j = 0; j < n; j++) {
                    ws[j] = keys((j + lo - center + 0.5) * invScale, -0.5);
                    idx[j] = lo + j;
                    total += ws[j];
                }
                for (int j = 0; j < n && total != 0; j++) {
                    ws[j] /= total;
                }
                w.size[i] = n;
                w.index[i] = idx;
                w.weight[i] = ws;
            }
            return w;
        }

        /**
         * PyTorch's {@code upsample_bicubic2d} with {@code align_corners=False}: source {@code (i + 0.5)·in/out − 0.5}
         * (not clamped), 4 taps around it with Keys' a = −0.75, tap indices clamped to {@code [0, in − 1]}.
         */
        static Weights bicubic(int in, int out) {
            double scale = (double) in / out;
            Weights w = new Weights(out);
            for (int i = 0; i < out; i++) {
                double src = scale * (i + 0.5) - 0.5;
                int x0 = (int) Math.floor(src);
                double t = src - x0;
                w.size[i] = 4;
                w.index[i] = new int[4];
                w.weight[i] = new double[4];
                for (int j = 0; j < 4; j++) {
                    w.index[i][j] = Math.min(Math.max(x0 - 1 + j, 0), in - 1);
                    w.weight[i][j] = keys(t + 1 - j, -0.75);
                }
            }
            return w;
        }

        /** Keys' cubic convolution kernel with parameter a. */
        private static double keys(double x, double a) {
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
