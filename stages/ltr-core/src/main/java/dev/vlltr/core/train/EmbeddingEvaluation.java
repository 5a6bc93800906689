package dev.vlltr.core.train;

/**
 * CVLP's per-epoch evaluation on embeddings (official {@code engine.py::evaluate_pretrain}), in plain double
 * precision on L2-normalised features:
 *
 * <ul>
 *   <li>{@link #zeroShotAccuracy}: the {@code --ensemble} zero-shot head — class prototype = mean of the class's
 *       normalised sentence features, re-normalised; an image is assigned the class of the most similar prototype;
 *   <li>{@link #retrieval}: image→text top-1 (the class of the most similar sentence among all sentences equals the
 *       image's class) and text→image top-1 (the class of the most similar image equals the sentence's class).
 * </ul>
 */
public final class EmbeddingEvaluation {

    private EmbeddingEvaluation() {}

    /** Top-1 retrieval accuracies in both directions. */
    public record Retrieval(double imageToText, double textToImage) {}

    /**
     * @param text sentence features (N_t × D), any scale
     * @param textLabels their classes
     * @param numClasses C
     * @return C × D unit prototypes (a class without sentences gets a zero row, which never wins)
     */
    public static double[][] classPrototypes(float[][] text, int[] textLabels, int numClasses) {
        int d = text[0].length;
        double[][] proto = new double[numClasses][d];
        for (int i = 0; i < text.length; i++) {
            double[] u = unit(text[i]);
            for (int k = 0; k < d; k++) {
                proto[textLabels[i]][k] += u[k];
            }
        }
        for (double[] p : proto) {
            double n = norm(p);
            if (n > 0) {
                for (int k = 0; k < d; k++) {
                    p[k] /= n;
                }
            }
        }
        return proto;
    }

    /**
     * @param images image features (N × D)
     * @param labels their classes
     * @param prototypes from {@link #classPrototypes}
     * @return fraction of images whose most similar prototype is their class
     */
    public static double zeroShotAccuracy(float[][] images, int[] labels, double[][] prototypes) {
        int correct = 0;
        for (int i = 0; i < images.length; i++) {
            double[] u = unit(images[i]);
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < prototypes.length; c++) {
                double s = dot(u, prototypes[c]);
                if (s > bestScore) {
                    bestScore = s;
                    best = c;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return (double) correct / images.length;
    }

    /**
     * @param images image features (N_i × D)
     * @param imageLabels their classes
     * @param text sentence features (N_t × D)
     * @param textLabels their classes
     * @return top-1 class-match retrieval in both directions
     */
    public static Retrieval retrieval(float[][] images, int[] imageLabels, float[][] text, int[] textLabels) {
        double[][] u = new double[images.length][];
        for (int i = 0; i < images.length; i++) {
            u[i] = unit(images[i]);
        }
        double[][] v = new double[text.length][];
        for (int j = 0; j < text.length; j++) {
            v[j] = unit(text[j]);
        }
        int[] bestText = new int[images.length];
        double[] bestTextScore = new double[images.length];
        java.util.Arrays.fill(bestTextScore, Double.NEGATIVE_INFINITY);
        int[] bestImage = new int[text.length];
        double[] bestImageScore = new double[text.length];
        java.util.Arrays.fill(bestImageScore, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < u.length; i++) {
            for (int j = 0; j < v.length; j++) {
                double s = dot(u[i], v[j]);
                if (s > bestTextScore[i]) {
                    bestTextScore[i] = s;
                    bestText[i] = j;
                }
                if (s > bestImageScore[j]) {
                    bestImageScore[j] = s;
                    bestImage[j] = i;
                }
            }
        }
        int i2t = 0;
        for (int i = 0; i < u.length; i++) {
            if (textLabels[bestText[i]] == imageLabels[i]) {
                i2t++;
            }
        }
        int t2i = 0;
        for (int j = 0; j < v.length; j++) {
            if (imageLabels[bestImage[j]] == textLabels[j]) {
                t2i++;
            }
        }
        return new Retrieval((double) i2t / u.length, (double) t2i / v.length);
    }

    static double[] unit(float[] x) {
        double[] u = new double[x.length];
        double n = 0;
        for (int k = 0; k < x.length; k++) {
            u[k] = x[k];
            n += u[k] * u[k];
        }
        n = Math.max(Math.sqrt(n), 1e-12);
        for (int k = 0; k < x.length; k++) {
            u[k] /= n;
        }
        return u;
    }

    static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += a[k] * b[k];
        }
        return s;
    }
}
