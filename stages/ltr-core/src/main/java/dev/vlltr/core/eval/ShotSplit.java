package dev.vlltr.core.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Many/medium/few-shot accuracies under a {@link ShotConvention}, from per-class results of the evaluated split
 * and the per-class <b>training</b> counts. Only classes with at least one evaluated sample contribute.
 *
 * <pre>{@code
 * ShotSplitResult r = ShotSplit.builder().setConvention(ShotConvention.VL_LTR).setTrainClassCounts(counts)
 *         .build().evaluate(PerClassAccuracy.of(scores, labels, counts.length));
 * }</pre>
 */
public final class ShotSplit {

    private record Rule(String name, String text, IntPredicate member) {
    }

    private final ShotConvention convention;
    private final int[] trainCounts;
    private final ShotAggregation aggregation;
    private final EmptyGroupPolicy emptyPolicy;
    private final List<Rule> rules;

    private ShotSplit(Builder b) {
        this.convention = b.convention;
        this.trainCounts = b.trainCounts.clone();
        this.aggregation = b.aggregation == null ? b.convention.defaultAggregation() : b.aggregation;
        this.emptyPolicy = b.emptyPolicy;
        this.rules = rules(b.convention, trainCounts, b.manyThreshold, b.fewThreshold);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static List<Rule> rules(ShotConvention convention, int[] n, int many, int few) {
        List<Rule> r = new ArrayList<>();
        switch (convention) {
            case DECOUPLING -> {
                r.add(new Rule("many", "n > " + many, c -> n[c] > many));
                r.add(new Rule("medium", few + " <= n <= " + many, c -> n[c] <= many && n[c] >= few));
                r.add(new Rule("few", "n < " + few, c -> n[c] < few));
            }
            case VL_LTR -> {
                // bins are (lo, hi] with many = (many - 1, max], medium = (few, many - 1], low = (0, few]
                r.add(new Rule("many", "n > " + (many - 1), c -> n[c] > many - 1));
                r.add(new Rule("medium", few + " < n <= " + (many - 1), c -> n[c] > few && n[c] <= many - 1));
                r.add(new Rule("few", "0 < n <= " + few, c -> n[c] > 0 && n[c] <= few));
                r.add(new Rule("10shot", "0 < n <= 10", c -> n[c] > 0 && n[c] <= 10));
                r.add(new Rule("5shot", "0 < n <= 5", c -> n[c] > 0 && n[c] <= 5));
            }
            case TERCILES -> {
                int cnum = n.length;
                Integer[] order = IntStream.range(0, cnum).boxed().toArray(Integer[]::new);
                Arrays.sort(order, Comparator.comparingInt((Integer c) -> -n[c]).thenComparingInt(c -> c));
                int[] group = new int[cnum];
                int start = 0;
                for (int g = 0; g < 3; g++) {
                    int size = cnum / 3 + (g < cnum % 3 ? 1 : 0);
                    for (int i = start; i < start + size; i++) {
                        group[order[i]] = g;
                    }
                    start += size;
                }
                String[] names = {"many", "medium", "few"};
                String[] texts = {"top third by n", "middle third by n", "bottom third by n"};
                for (int g = 0; g < 3; g++) {
                    int gg = g;
                    r.add(new Rule(names[g], texts[g], c -> group[c] == gg));
                }
            }
            default -> throw new IllegalStateException("unknown convention " + convention);
        }
        return r;
    }

    public ShotConvention convention() {
        return convention;
    }

    /** Whether class {@code c} belongs to group {@code name} (by training count only). */
    public boolean isMember(String name, int c) {
        for (Rule rule : rules) {
            if (rule.name().equals(name)) {
                return rule.member().test(c);
            }
        }
        throw new IllegalArgumentException("ShotSplit: no group '" + name + "' under " + convention);
    }

    /** Group accuracies for the given per-class results (which must cover the same C classes). */
    public ShotSplitResult evaluate(PerClassAccuracy perClass) {
        if (perClass.numClasses() != trainCounts.length) {
            throw new IllegalArgumentException("ShotSplit: per-class results cover " + perClass.numClasses()
                    + " classes but the training counts cover " + trainCounts.length);
        }
        List<ShotGroup> groups = new ArrayList<>();
        for (Rule rule : rules) {
            int classes = 0;
            long samples = 0;
            long correct = 0;
            double accSum = 0;
            for (int c = 0; c < trainCounts.length; c++) {
                long t = perClass.total()[c];
                if (t == 0 || !rule.member().test(c)) {
                    continue;
                }
                classes++;
                samples += t;
                correct += perClass.correct()[c];
                accSum += (double) perClass.correct()[c] / t;
            }
            double acc;
            if (classes == 0) {
                acc = emptyPolicy == EmptyGroupPolicy.ZERO ? 0.0 : Double.NaN;
            } else if (aggregation == ShotAggregation.POOLED) {
                acc = (double) correct / samples;
            } else {
                acc = accSum / classes;
            }
            groups.add(new ShotGroup(rule.name(), rule.text(), classes, samples, acc));
        }
        return new ShotSplitResult(convention, aggregation, groups);
    }

    /** Builder: {@code setConvention} and {@code setTrainClassCounts} are required. */
    public static final class Builder {
        private ShotConvention convention;
        private int[] trainCounts;
        private ShotAggregation aggregation;
        private EmptyGroupPolicy emptyPolicy = EmptyGroupPolicy.NAN;
        private int manyThreshold = 100;
        private int fewThreshold = 20;

        public Builder setConvention(ShotConvention convention) {
            this.convention = convention;
            return this;
        }

        /** Training samples per class (length C, each >= 0). */
        public Builder setTrainClassCounts(int[] counts) {
            this.trainCounts = counts;
            return this;
        }

        /** Override the convention's aggregation (default: {@link ShotConvention#defaultAggregation()}). */
        public Builder optAggregation(ShotAggregation aggregation) {
            this.aggregation = aggregation;
            return this;
        }

        /** Default {@link EmptyGroupPolicy#NAN}; {@link EmptyGroupPolicy#ZERO} reproduces the official scripts. */
        public Builder optEmptyGroupPolicy(EmptyGroupPolicy policy) {
            if (policy == null) {
                throw new IllegalArgumentException("ShotSplit: emptyGroupPolicy must not be null");
            }
            this.emptyPolicy = policy;
            return this;
        }

        /**
         * The official {@code many_shot_thr} (default 100) and {@code low_shot_thr} (default 20), applied with each
         * convention's own comparison; ignored by {@link ShotConvention#TERCILES}.
         */
        public Builder optThresholds(int manyShotThreshold, int lowShotThreshold) {
            if (lowShotThreshold < 0 || manyShotThreshold <= lowShotThreshold) {
                throw new IllegalArgumentException("ShotSplit: thresholds must satisfy 0 <= low < many, got many = "
                        + manyShotThreshold + ", low = " + lowShotThreshold);
            }
            this.manyThreshold = manyShotThreshold;
            this.fewThreshold = lowShotThreshold;
            return this;
        }

        public ShotSplit build() {
            if (convention == null) {
                throw new IllegalArgumentException("ShotSplit: setConvention(...) is required");
            }
            if (trainCounts == null || trainCounts.length == 0) {
                throw new IllegalArgumentException("ShotSplit: setTrainClassCounts(...) needs one count per class");
            }
            for (int c = 0; c < trainCounts.length; c++) {
                if (trainCounts[c] < 0) {
                    throw new IllegalArgumentException("ShotSplit: train count of class " + c + " is "
                            + trainCounts[c] + ", expected >= 0");
                }
            }
            return new ShotSplit(this);
        }
    }
}
