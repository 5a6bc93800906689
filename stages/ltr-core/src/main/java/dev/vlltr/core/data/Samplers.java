package dev.vlltr.core.data;

import java.util.List;
import java.util.Locale;

/**
 * Creates a {@link Sampler} by name: {@code instance} ({@link InstanceBalancedSampler}), {@code class}
 * ({@link ClassBalancedSampler}), {@code sqrt} ({@link SquareRootSampler}) or {@code progressive}
 * ({@link ProgressivelyBalancedSampler}).
 *
 * <pre>{@code
 * Sampler s = Samplers.builder().setName("class").setLabels(train.labels(), train.numClasses()).optSeed(0).build();
 * BatchIndexSource batches = Batches.of(s, 128);
 * }</pre>
 */
public final class Samplers {

    /** The accepted names. */
    public static final List<String> NAMES = List.of("instance", "class", "sqrt", "progressive");

    private Samplers() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder: {@code setName} and {@code setLabels} are required; {@code optTotalEpochs} for {@code progressive}. */
    public static final class Builder {
        private String name;
        private int[] labels;
        private int numClasses;
        private long seed;
        private int epochLength = -1;
        private int samplesPerClass = 4;
        private double power = 0.5;
        private int totalEpochs = -1;

        /** @param name {@code instance}, {@code class}, {@code sqrt} or {@code progressive} */
        public Builder setName(String name) {
            this.name = name;
            return this;
        }

        /** @param labels labels of the train set the indices refer to; {@code numClasses} C */
        public Builder setLabels(int[] labels, int numClasses) {
            this.labels = labels.clone();
            this.numClasses = numClasses;
            return this;
        }

        /** Seed; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Indices per epoch; default N (the train set size), as the official code's fixed epoch length. */
        public Builder optEpochLength(int epochLength) {
            this.epochLength = epochLength;
            return this;
        }

        /** {@code class} only: consecutive items per drawn class; default 4 (official {@code num_samples_cls}). */
        public Builder optSamplesPerClass(int samplesPerClass) {
            this.samplesPerClass = samplesPerClass;
            return this;
        }

        /** {@code sqrt} only: the power q of {@code p_c ∝ n_c^q}; default 1/2. */
        public Builder optPower(double power) {
            this.power = power;
            return this;
        }

        /** {@code progressive} only (required there): the number of training epochs T. */
        public Builder optTotalEpochs(int totalEpochs) {
            this.totalEpochs = totalEpochs;
            return this;
        }

        public Sampler build() {
            if (labels == null) {
                throw new IllegalArgumentException("sampler: 'labels' are required (setLabels)");
            }
            String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
            int length = epochLength < 0 ? labels.length : epochLength;
            if (length < 1) {
                throw new IllegalArgumentException("sampler: field 'epochLength' is " + length + ", expected >= 1");
            }
            ClassIndex index = new ClassIndex(labels, numClasses);
            return switch (key) {
                case "instance" -> new InstanceBalancedSampler(labels.length, length, seed);
                case "class" -> new ClassBalancedSampler(index, samplesPerClass, length, seed);
                case "sqrt" -> new SquareRootSampler(index, power, length, seed);
                case "progressive" -> {
                    if (totalEpochs < 1) {
                        throw new IllegalArgumentException("progressive sampler: field 'totalEpochs' is required "
                                + "(optTotalEpochs(T), the number of training epochs)");
                    }
                    yield new ProgressivelyBalancedSampler(index, totalEpochs, length, seed);
                }
                default -> throw new IllegalArgumentException("sampler '" + name + "' is unknown, expected one of "
                        + String.join(", ", NAMES));
            };
        }
    }
}
