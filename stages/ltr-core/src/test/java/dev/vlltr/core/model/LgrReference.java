package dev.vlltr.core.model;

import dev.vlltr.core.loss.Reference;

/** Plain-Java double re-computation of the LGR head (official models/finetune.py, two_branch, use_norm). */
final class LgrReference {

    private LgrReference() {}

    /** @return {P^I (B·C), P^T (B·C)} row-major */
    static double[][] forward(float[] f, float[] t, int[] counts, float[] wq, float[] wk, float[] gq, float[] bq,
            float[] gk, float[] bk, float[][] mlp, double theta, int bSize, int c, int m, int d) {
        return forward(d(f), d(t), counts, d(wq), d(wk), d(gq), d(bq), d(gk), d(bk),
                new double[][] {d(mlp[0]), d(mlp[1]), d(mlp[2]), d(mlp[3])}, theta, bSize, c, m, d);
    }

    static double[] d(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }

    static double[][] forward(double[] f, double[] t, int[] counts, double[] wq, double[] wk, double[] gq,
            double[] bq, double[] gk, double[] bk, double[][] mlp, double theta, int bSize, int c, int m, int d) {
        double[][] out = new double[2][bSize * c];
        for (int b = 0; b < bSize; b++) {
            double[] fb = new double[d];
            for (int k = 0; k < d; k++) {
                fb[k] = f[b * d + k];
            }
            double[] q = linear(layerNorm(fb, gq, bq), wq, d, d);
            for (int cls = 0; cls < c; cls++) {
                double[] scores = new double[counts[cls]];
                double[][] values = new double[counts[cls]][];
                for (int s = 0; s < counts[cls]; s++) { // padded slots simply do not take part
                    double[] ts = new double[d];
                    for (int k = 0; k < d; k++) {
                        ts[k] = t[(cls * m + s) * d + k];
                    }
                    values[s] = ts;
                    scores[s] = Reference.dot(q, linear(layerNorm(ts, gk, bk), wk, d, d)) / Math.sqrt(d);
                }
                double[] a = Reference.softmax(scores);
                double[] v = new double[d];
                for (int s = 0; s < a.length; s++) {
                    for (int k = 0; k < d; k++) {
                        v[k] += a[s] * values[s][k];
                    }
                }
                double cos = Reference.dot(fb, v) / (Reference.norm(fb) * Reference.norm(v));
                out[1][b * c + cls] = cos * Math.exp(theta);
            }
            // MLP: Linear(D, 4D) → ReLU → Linear(4D, C)
            double[] h = linear(fb, mlp[0], 4 * d, d);
            for (int k = 0; k < h.length; k++) {
                h[k] = Math.max(0, h[k] + mlp[1][k]);
            }
            double[] o = linear(h, mlp[2], c, 4 * d);
            for (int k = 0; k < c; k++) {
                out[0][b * c + k] = o[k] + mlp[3][k];
            }
        }
        return out;
    }

    /** y = W x with W (out, in) row-major (PyTorch/DJL Linear layout). */
    static double[] linear(double[] x, double[] w, int out, int in) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                y[o] += w[o * in + i] * x[i];
            }
        }
        return y;
    }

    static double[] layerNorm(double[] x, double[] gamma, double[] beta) {
        double mean = 0;
        for (double v : x) {
            mean += v / x.length;
        }
        double var = 0;
        for (double v : x) {
            var += (v - mean) * (v - mean) / x.length;
        }
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (x[i] - mean) / Math.sqrt(var + 1e-5) * gamma[i] + beta[i];
        }
        return y;
    }
}
