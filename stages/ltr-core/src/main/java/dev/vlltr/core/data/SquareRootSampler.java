package dev.vlltr.core.data;

import java.util.SplittableRandom;

/**
 * Square-root sampling (Decoupling {@code MixedPrioritizedSampler} with {@code nroot=2, lam=1, manual_only=true}):
 * samples drawn <em>with replacement</em> so that class {@code c} has probability
 * {@code p_c = n_c^q / Σ_k n_k^q} (q = 1/2 by default) and items within a class are uniform. This is the same
 * distribution as the official per-sample weights {@code w_i = (n_c/N)^q · N/n_c} fed to a sum-tree.
 */
public final class SquareRootSampler implements Sampler {

    private final ClassIndex index;
    private final double power;
    private final double[] cumulative;
    private final int epochLength;
    private final long seed;

    SquareRootSampler(ClassIndex index, double power, int epochLength, long seed) {
        if (!(power >= 0) || Double.isInfinite(power)) {
            throw new IllegalArgumentException("sqrt sampler: field 'power' is " + power
                    + ", expected a finite q >= 0");
        }
        this.index = index;
        this.power = power;
        this.cumulative = ClassIndex.cumulative(classProbabilities(index, power));
        this.epochLength = epochLength;
        this.seed = seed;
    }

    /** @return {@code p_c ∝ n_c^q} (0 for empty classes) */
    static double[] classProbabilities(ClassIndex index, double power) {
        double[] p = new double[index.numClasses];
        double s = 0;
        for (int c = 0; c < p.length; c++) {
            p[c] = index.count(c) == 0 ? 0 : Math.pow(index.count(c), power);
            s += p[c];
        }
        for (int c = 0; c < p.length; c++) {
            p[c] /= s;
        }
        return p;
    }

    /** @return the class probabilities this sampler draws with */
    public double[] classProbabilities() {
        return classProbabilities(index, power);
    }

    @Override
    public int[] epoch(int epoch) {
        SplittableRandom rng = ClassIndex.epochRng(seed, epoch);
        int[] out = new int[epochLength];
        for (int i = 0; i < epochLength; i++) {
            int[] members = index.byClass[ClassIndex.drawClass(cumulative, rng)];
            out[i] = members[rng.nextInt(members.length)];
        }
        return out;
    }

    @Override
    public int epochLength() {
        return epochLength;
    }

    @Override
    public String name() {
        return "sqrt";
    }
}
