package dev.vlltr.core.loss;

import java.util.Random;

/**
 * Independent plain-Java double-precision re-computations used as the ground truth of the loss tests. Nothing here
 * calls DJL: the formulas are written out from the official code (see ml-anchors.md 1.3, 1.4, 1.6).
 */
public final class Reference {

    private Reference() {}

    public static double[][] randomMatrix(Random rnd, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m[i][j] = rnd.nextGaussian();
            }
        }
        return m;
    }

    public static float[] flat(double[][] m) {
        int cols = m[0].length;
        float[] out = new float[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = (float) m[i][j];
            }
        }
        return out;
    }

    /** Rounds to float precision so that Java and DJL start from exactly the same numbers. */
    public static double[][] asFloat(double[][] m) {
        double[][] out = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            out[i] = new double[m[i].length];
            for (int j = 0; j < m[i].length; j++) {
                out[i][j] = (float) m[i][j];
            }
        }
        return out;
    }

    public static double[] logSoftmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double lse = max + Math.log(sum);
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = z[i] - lse;
        }
        return out;
    }

    public static double[] softmax(double[] z) {
        double[] l = logSoftmax(z);
        for (int i = 0; i < l.length; i++) {
            l[i] = Math.exp(l[i]);
        }
        return l;
    }

    public static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    public static double[] l2normalize(double[] x) {
        double n = 0;
        for (double v : x) {
            n += v * v;
        }
        n = Math.sqrt(n);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] / n;
        }
        return out;
    }

    public static double norm(double[] x) {
        double n = 0;
        for (double v : x) {
            n += v * v;
        }
        return Math.sqrt(n);
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Per row (1-ε)(−Σ t log p) + ε(−mean log p), averaged over rows (timm LabelSmoothingCrossEntropy, 2-D). */
    public static double smoothedSoftCe(double[][] logits, double[][] targets, double eps) {
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            double[] lp = logSoftmax(logits[i]);
            double nll = 0;
            double mean = 0;
            for (int j = 0; j < lp.length; j++) {
                nll -= targets[i][j] * lp[j];
                mean -= lp[j] / lp.length;
            }
            total += (1 - eps) * nll + eps * mean;
        }
        return total / logits.length;
    }

    /** d/dlogits of {@link #smoothedSoftCe}: (p − ((1−ε)t + ε/K)) / N. */
    public static double[][] smoothedSoftCeGrad(double[][] logits, double[][] targets, double eps) {
        int n = logits.length;
        double[][] g = new double[n][];
        for (int i = 0; i < n; i++) {
            double[] p = softmax(logits[i]);
            int k = p.length;
            g[i] = new double[k];
            for (int j = 0; j < k; j++) {
                g[i][j] = (p[j] - ((1 - eps) * targets[i][j] + eps / k)) / n;
            }
        }
        return g;
    }

    public static double[][] sameLabelTargets(int[] y) {
        int b = y.length;
        double[][] t = new double[b][b];
        for (int i = 0; i < b; i++) {
            int count = 0;
            for (int j = 0; j < b; j++) {
                if (y[i] == y[j]) {
                    count++;
                }
            }
            for (int j = 0; j < b; j++) {
                t[i][j] = y[i] == y[j] ? 1.0 / count : 0;
            }
        }
        return t;
    }

    /** Result of the contrastive re-computation: loss and its gradients. */
    public static final class ContrastiveResult {
        public double loss;
        public double[][] gradImage;
        public double[][] gradText;
        /** dL/dθ where s = exp(θ). */
        public double gradTheta;
        public double[][] logitsPerImage;
        /** dL/dZ. */
        public double[][] gradLogits;
    }

    /**
     * VL-LTR L_ccl on raw features a (image), b (text), θ: u = a/‖a‖, v = b/‖b‖, Z = e^θ u vᵀ,
     * L = (CE_ε(Z, T) + CE_ε(Zᵀ, T)) / 2; gradients derived by hand (chain rule through the normalisation).
     */
    public static ContrastiveResult contrastive(double[][] a, double[][] b, double theta, int[] y, double eps) {
        int n = a.length;
        double s = Math.exp(theta);
        double[][] u = new double[n][];
        double[][] v = new double[n][];
        for (int i = 0; i < n; i++) {
            u[i] = l2normalize(a[i]);
            v[i] = l2normalize(b[i]);
        }
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                z[i][j] = s * dot(u[i], v[j]);
            }
        }
        double[][] t = sameLabelTargets(y);
        double[][] zt = transpose(z);
        ContrastiveResult r = new ContrastiveResult();
        r.logitsPerImage = z;
        r.loss = (smoothedSoftCe(z, t, eps) + smoothedSoftCe(zt, t, eps)) / 2;
        double[][] g1 = smoothedSoftCeGrad(z, t, eps);
        double[][] g2 = transpose(smoothedSoftCeGrad(zt, t, eps));
        r.gradLogits = new double[n][n];
        double[][] g = r.gradLogits;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i][j] = (g1[i][j] + g2[i][j]) / 2;
            }
        }
        backprop(a, b, theta, g, r);
        return r;
    }

    /** L_dis = (CE(Z_s, softmax Z_t) + CE(Z_sᵀ, softmax Z_tᵀ)) / 2 and dL/dZ_s. */
    public static double[][] distillationGrad(double[][] zs, double[][] zt) {
        double[][] g1 = smoothedSoftCeGrad(zs, softmaxRows(zt), 0);
        double[][] g2 = transpose(smoothedSoftCeGrad(transpose(zs), softmaxRows(transpose(zt)), 0));
        int n = zs.length;
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i][j] = (g1[i][j] + g2[i][j]) / 2;
            }
        }
        return g;
    }

    public static double distillation(double[][] zs, double[][] zt) {
        return (smoothedSoftCe(zs, softmaxRows(zt), 0)
                        + smoothedSoftCe(transpose(zs), softmaxRows(transpose(zt)), 0)) / 2;
    }

    public static double[][] softmaxRows(double[][] z) {
        double[][] out = new double[z.length][];
        for (int i = 0; i < z.length; i++) {
            out[i] = softmax(z[i]);
        }
        return out;
    }

    /** Fills the gradients of r w.r.t. a, b and θ from g = dL/dZ for Z = e^θ norm(a) norm(b)ᵀ. */
    public static void backprop(double[][] a, double[][] b, double theta, double[][] g, ContrastiveResult r) {
        int n = a.length;
        int d = a[0].length;
        double s = Math.exp(theta);
        double[][] u = new double[n][];
        double[][] v = new double[n][];
        for (int i = 0; i < n; i++) {
            u[i] = l2normalize(a[i]);
            v[i] = l2normalize(b[i]);
        }
        double dS = 0;
        double[][] du = new double[n][d];
        double[][] dv = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                dS += g[i][j] * dot(u[i], v[j]);
                for (int k = 0; k < d; k++) {
                    du[i][k] += s * g[i][j] * v[j][k];
                    dv[j][k] += s * g[i][j] * u[i][k];
                }
            }
        }
        r.gradTheta = s * dS;
        r.gradImage = throughNormalize(a, u, du);
        r.gradText = throughNormalize(b, v, dv);
    }

    /** dL/dx = (du − (du·u) u) / ‖x‖ for u = x/‖x‖, row by row. */
    public static double[][] throughNormalize(double[][] x, double[][] u, double[][] du) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double nx = norm(x[i]);
            double proj = dot(du[i], u[i]);
            out[i] = new double[x[i].length];
            for (int k = 0; k < x[i].length; k++) {
                out[i][k] = (du[i][k] - proj * u[i][k]) / nx;
            }
        }
        return out;
    }
}
