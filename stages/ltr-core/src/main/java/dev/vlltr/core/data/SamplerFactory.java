package dev.vlltr.core.data;

import java.util.Locale;

/**
 * Builds a {@link Sampler} by name: {@code instance} ({@link InstanceBalancedSampler}), {@code class}
 * ({@link ClassBalancedSampler}), {@code sqrt} ({@link PowerSampler}), {@code progressive}
 * ({@link ProgressivelyBalancedSampler}). Also accepted: {@code instance-balanced}, {@code class-balanced},
 * {@code square-root}, {@code progressively-balanced}.
 */
public final class SamplerFactory {

    private String name;
    private int[] labels;
    private int numClasses;
    private long seed;
    private int epochLength;
    private int samplesPerClass = ClassBalancedSampler.DEFAULT_SAMPLES_PER_CLASS;
    private double power = PowerSampler.DEFAULT_POWER;
    private int totalEpochs;

    private SamplerFactory() {}

    /** @return a new factory (builder) */
    public static SamplerFactory builder() {
        return new SamplerFactory();
    }

    /** The sampler name ({@code instance|class|sqrt|progressive}). */
    public SamplerFactory setName(String name) {
        this.name = name;
        return this;
    }

    /** The dataset's labels and class count. */
    public SamplerFactory setLabels(int[] labels, int numClasses) {
        this.labels = labels.clone();
        this.numClasses = numClasses;
        return this;
    }

    /** Seed (default 0). */
    public SamplerFactory optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Indices per epoch (default: the dataset size). */
    public SamplerFactory optEpochLength(int epochLength) {
        this.epochLength = epochLength;
        return this;
    }

    /** {@code class}: consecutive items per drawn class (default 4). */
    public SamplerFactory optSamplesPerClass(int samplesPerClass) {
        this.samplesPerClass = samplesPerClass;
        return this;
    }

    /** {@code sqrt}: the power q of {@code p_c ∝ n_c^q} (default 1/2). */
    public SamplerFactory optPower(double power) {
        this.power = power;
        return this;
    }

    /** {@code progressive}: the number of epochs T of the schedule (required for it). */
    public SamplerFactory optTotalEpochs(int totalEpochs) {
        this.totalEpochs = totalEpochs;
        return this;
    }

    /** @return the sampler */
    public Sampler build() {
        if (name == null || labels == null) {
            throw new IllegalArgumentException("sampler: setName and setLabels are required");
        }
        int length = epochLength > 0 ? epochLength : labels.length;
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "instance", "instance-balanced" -> new InstanceBalancedSampler(labels, numClasses, seed, length);
            case "class", "class-balanced" -> new ClassBalancedSampler(labels, numClasses, seed, length, samplesPerClass);
            case "sqrt", "square-root" -> new PowerSampler(labels, numClasses, seed, length, power);
            case "progressive", "progressively-balanced" -> {
                if (totalEpochs < 1) {
                    throw new IllegalArgumentException("sampler 'progressive': totalEpochs (the schedule length T) is required");
                }
                yield new ProgressivelyBalancedSampler(labels, numClasses, seed, length, totalEpochs);
            }
            default -> throw new IllegalArgumentException("unknown sampler '" + name
                    + "', expected one of instance, class, sqrt, progressive");
        };
    }
}
