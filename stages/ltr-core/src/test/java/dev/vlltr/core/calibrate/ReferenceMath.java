package dev.vlltr.core.calibrate;

/** Independent plain-Java double-precision softmax cross-entropy and its gradients, for checking autograd. */
final class ReferenceMath {

    private ReferenceMath() {
    }

    /** logits[i][c] = (x_i · w_c + b_c) * s_c. */
    static double[][] logits(float[][] w, float[] b, float[] s, float[][] x) {
        double[][] z = new double[x.length][w.length];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < w.length; c++) {
                double v = b[c];
                for (int j = 0; j < x[i].length; j++) {
                    v += (double) w[c][j] * x[i][j];
                }
                z[i][c] = v * (s == null ? 1 : s[c]);
            }
        }
        return z;
    }

    static double[][] softmax(double[][] z) {
        double[][] p = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v);
            }
            double sum = 0;
            p[i] = new double[z[i].length];
            for (int c = 0; c < z[i].length; c++) {
                p[i][c] = Math.exp(z[i][c] - max);
                sum += p[i][c];
            }
            for (int c = 0; c < z[i].length; c++) {
                p[i][c] /= sum;
            }
        }
        return p;
    }

    static double loss(double[][] z, int[] y) {
        double[][] p = softmax(z);
        double l = 0;
        for (int i = 0; i < y.length; i++) {
            l -= Math.log(p[i][y[i]]);
        }
        return l / y.length;
    }

    /** dL/dlogits = (p - onehot) / N. */
    static double[][] dLogits(double[][] z, int[] y) {
        double[][] p = softmax(z);
        for (int i = 0; i < y.length; i++) {
            p[i][y[i]] -= 1;
            for (int c = 0; c < p[i].length; c++) {
                p[i][c] /= y.length;
            }
        }
        return p;
    }

    /** Gradients of the unscaled linear layer: {dW (C×D), db (C)}. */
    static double[][][] linearGradients(float[][] w, float[] b, float[][] x, int[] y) {
        double[][] g = dLogits(logits(w, b, null, x), y);
        double[][] dw = new double[w.length][w[0].length];
        double[][] db = new double[1][w.length];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < w.length; c++) {
                db[0][c] += g[i][c];
                for (int j = 0; j < x[i].length; j++) {
                    dw[c][j] += g[i][c] * x[i][j];
                }
            }
        }
        return new double[][][] {dw, db};
    }

    /** Gradient of the LWS scales: dL/ds_c = Σ_i dL/dlogit_ic · (x_i·w_c + b_c). */
    static double[] scaleGradient(float[][] w, float[] b, float[] s, float[][] x, int[] y) {
        double[][] raw = logits(w, b, null, x);
        double[][] g = dLogits(logits(w, b, s, x), y);
        double[] ds = new double[w.length];
        for (int i = 0; i < x.length; i++) {
            for (int c = 0; c < w.length; c++) {
                ds[c] += g[i][c] * raw[i][c];
            }
        }
        return ds;
    }
}
