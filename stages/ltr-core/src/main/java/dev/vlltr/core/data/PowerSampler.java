package dev.vlltr.core.data;

import java.util.Random;

/**
 * Class-frequency-power sampling with replacement: class {@code c} is drawn with probability
 * {@code p_c ∝ n_c^q}, then a uniformly random image of it. With {@code q = 1/2} (default) this is Decoupling's
 * square-root sampling ({@code MixedPrioritizedSampler}, {@code nroot=2}: per-image weight
 * {@code (n_c/N)^{1/2}·N/n_c}, drawn with replacement), which VL-LTR uses in both stages; {@code q = 1} is
 * instance-balanced and {@code q = 0} class-balanced, both with replacement.
 */
public final class PowerSampler extends LabelledSampler {

    /** Square root. */
    public static final double DEFAULT_POWER = 0.5;

    private final double power;
    private final double[] cumulative;

    /**
     * @param labels dataset labels
     * @param numClasses C
     * @param seed seed
     * @param epochLength draws per epoch
     * @param power q, the exponent on class sizes
     */
    public PowerSampler(int[] labels, int numClasses, long seed, int epochLength, double power) {
        super(labels, numClasses, seed, epochLength);
        if (!Double.isFinite(power)) {
            throw new IllegalArgumentException("power sampler: power must be finite, got " + power);
        }
        this.power = power;
        this.cumulative = cumulative(classProbabilities(classCounts(), power));
    }

    /**
     * @param counts images per class
     * @param power q
     * @return {@code p_c = n_c^q / Σ n_k^q} (0 for empty classes)
     */
    public static double[] classProbabilities(int[] counts, double power) {
        double[] p = new double[counts.length];
        double total = 0;
        for (int c = 0; c < counts.length; c++) {
            p[c] = counts[c] == 0 ? 0 : Math.pow(counts[c], power);
            total += p[c];
        }
        for (int c = 0; c < counts.length; c++) {
            p[c] /= total;
        }
        return p;
    }

    @Override
    public int[] epochIndices(int epoch) {
        Random random = epochRandom(epoch);
        int[] out = new int[epochLength];
        for (int i = 0; i < epochLength; i++) {
            int[] members = indicesByClass[drawClass(cumulative, random)];
            out[i] = members[random.nextInt(members.length)];
        }
        return out;
    }

    /** @return q */
    public double power() {
        return power;
    }

    @Override
    public String name() {
        return "sqrt";
    }
}
