package dev.vlltr.core.calibrate;

import java.util.Random;

/** Gaussian class blobs for training tests: class means are random directions of length {@code radius}. */
final class SyntheticFeatures {

    final float[][] means;
    final double noise;
    final long seed;

    SyntheticFeatures(int numClasses, int dim, double radius, double noise, long seed) {
        Random rng = new Random(seed);
        this.means = new float[numClasses][dim];
        for (int c = 0; c < numClasses; c++) {
            double sq = 0;
            double[] v = new double[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = rng.nextGaussian();
                sq += v[j] * v[j];
            }
            for (int j = 0; j < dim; j++) {
                means[c][j] = (float) (v[j] / Math.sqrt(sq) * radius);
            }
        }
        this.noise = noise;
        this.seed = seed;
    }

    LabeledFeatures sample(int[] countsPerClass, SplitRole split, long sampleSeed) {
        Random rng = new Random(seed * 31 + sampleSeed);
        int n = 0;
        for (int k : countsPerClass) {
            n += k;
        }
        float[][] x = new float[n][];
        int[] y = new int[n];
        int i = 0;
        for (int c = 0; c < countsPerClass.length; c++) {
            for (int k = 0; k < countsPerClass[c]; k++) {
                float[] row = new float[means[c].length];
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) (means[c][j] + noise * rng.nextGaussian());
                }
                x[i] = row;
                y[i] = c;
                i++;
            }
        }
        return new LabeledFeatures(x, y, countsPerClass.length, split);
    }
}
