package dev.vlltr.stage.lgr;

import dev.vlltr.core.data.FeatureTable;

/** LGR's language branch and prediction in plain double precision, independent of DJL (for the tests). */
final class ReferenceLgr {

    private ReferenceLgr() {}

    /** P^T with identity W_q, W_k and LayerNorm weight 1 / bias 0 (eps 1e-5), masked softmax, value = memory. */
    static double[] textLogits(float[] f, FeatureTable memory, int m, double scale) {
        int d = f.length;
        int c = memory.numClasses();
        double[] q = layerNorm(f);
        double[] out = new double[c];
        for (int k = 0; k < c; k++) {
            double[] a = new double[m];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                int r = k * m + j;
                if (memory.array("mask")[r][0] == 0) {
                    a[j] = Double.NaN;
                    continue;
                }
                double[] key = layerNorm(memory.array(FeatureTable.FEATURES)[r]);
                double s = 0;
                for (int i = 0; i < d; i++) {
                    s += q[i] * key[i];
                }
                a[j] = s / Math.sqrt(d);
                max = Math.max(max, a[j]);
            }
            double sum = 0;
            for (int j = 0; j < m; j++) {
                if (!Double.isNaN(a[j])) {
                    a[j] = Math.exp(a[j] - max);
                    sum += a[j];
                }
            }
            double[] v = new double[d];
            for (int j = 0; j < m; j++) {
                if (!Double.isNaN(a[j])) {
                    float[] t = memory.array(FeatureTable.FEATURES)[k * m + j];
                    for (int i = 0; i < d; i++) {
                        v[i] += a[j] / sum * t[i];
                    }
                }
            }
            double dot = 0;
            double nf = 0;
            double nv = 0;
            for (int i = 0; i < d; i++) {
                dot += f[i] * v[i];
                nf += (double) f[i] * f[i];
                nv += v[i] * v[i];
            }
            out[k] = dot / (Math.max(Math.sqrt(nf), 1e-12) * Math.max(Math.sqrt(nv), 1e-12)) * scale;
        }
        return out;
    }

    static double[] layerNorm(float[] x) {
        double mean = 0;
        for (float v : x) {
            mean += v;
        }
        mean /= x.length;
        double var = 0;
        for (float v : x) {
            var += (v - mean) * (v - mean);
        }
        var /= x.length;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (x[i] - mean) / Math.sqrt(var + 1e-5);
        }
        return out;
    }

    /** Top-1 of alpha softmax(P^I) + (1 - alpha) softmax(P^T) over a written table. */
    static double mixTop1(FeatureTable t, double alpha) {
        int correct = 0;
        for (int i = 0; i < t.rows(); i++) {
            float[] mix = LgrStage.mixed(t.array("logits_image")[i], t.array("logits_text")[i], alpha);
            if (LgrStage.argmax(mix) == t.labels()[i]) {
                correct++;
            }
        }
        return (double) correct / t.rows();
    }
}
