package dev.vlltr.core.eval;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes an {@link EvaluationReport} from an N×C score matrix (logits by default, or probabilities such as
 * VL-LTR's α-mixed {@code p}) and the evaluated labels. Shot splits use the per-class <b>training</b> counts.
 *
 * <pre>{@code
 * EvaluationReport r = Evaluator.builder().setTrainClassCounts(trainCounts).build().evaluate(logits, testLabels);
 * Map<String, Double> metrics = r.toMetrics();
 * }</pre>
 */
public final class Evaluator {

    private final int[] trainCounts;
    private final int topK;
    private final int calibrationBins;
    private final Set<ShotConvention> conventions;
    private final ShotConvention primary;
    private final EmptyGroupPolicy emptyPolicy;
    private final boolean probabilities;
    private final boolean confusion;

    private Evaluator(Builder b) {
        this.trainCounts = b.trainCounts.clone();
        this.topK = b.topK;
        this.calibrationBins = b.calibrationBins;
        this.conventions = new LinkedHashSet<>(b.conventions);
        this.primary = b.primary;
        this.emptyPolicy = b.emptyPolicy;
        this.probabilities = b.probabilities;
        this.confusion = b.confusion;
    }

    public static Builder builder() {
        return new Builder();
    }

    public EvaluationReport evaluate(float[][] scores, int[] labels) {
        int c = Scores.check(scores, labels, "Evaluator");
        if (c != trainCounts.length) {
            throw new IllegalArgumentException("Evaluator: scores have " + c + " classes but " + trainCounts.length
                    + " training counts were given");
        }
        PerClassAccuracy perClass = PerClassAccuracy.of(scores, labels, c);
        Map<ShotConvention, ShotSplitResult> shots = new LinkedHashMap<>();
        for (ShotConvention conv : conventions) {
            shots.put(conv, ShotSplit.builder().setConvention(conv).setTrainClassCounts(trainCounts)
                    .optEmptyGroupPolicy(emptyPolicy).build().evaluate(perClass));
        }
        CalibrationResult cal = probabilities
                ? ExpectedCalibrationError.fromProbabilities(scores, labels, calibrationBins)
                : ExpectedCalibrationError.fromLogits(scores, labels, calibrationBins);
        return new EvaluationReport(scores.length, c, TopKAccuracy.of(scores, labels, 1), topK,
                TopKAccuracy.of(scores, labels, topK), perClass.meanOverPresentClasses(), perClass,
                confusion ? ConfusionMatrix.of(scores, labels) : null, shots, primary, cal);
    }

    /** Builder: {@code setTrainClassCounts} is required. */
    public static final class Builder {
        private int[] trainCounts;
        private int topK = 5;
        private int calibrationBins = ExpectedCalibrationError.DEFAULT_BINS;
        private List<ShotConvention> conventions = List.of(ShotConvention.values());
        private ShotConvention primary = ShotConvention.DECOUPLING;
        private EmptyGroupPolicy emptyPolicy = EmptyGroupPolicy.NAN;
        private boolean probabilities;
        private boolean confusion = true;

        /** Training samples per class (length C). Required. */
        public Builder setTrainClassCounts(int[] counts) {
            this.trainCounts = counts;
            return this;
        }

        /** k of the second accuracy; default 5. */
        public Builder optTopK(int k) {
            if (k <= 0) {
                throw new IllegalArgumentException("Evaluator: topK must be > 0, got " + k);
            }
            this.topK = k;
            return this;
        }

        /** ECE bins; default 15. */
        public Builder optCalibrationBins(int bins) {
            if (bins <= 0) {
                throw new IllegalArgumentException("Evaluator: calibration bins must be > 0, got " + bins);
            }
            this.calibrationBins = bins;
            return this;
        }

        /** Conventions to report; default all three. */
        public Builder optConventions(ShotConvention... conventions) {
            if (conventions == null || conventions.length == 0) {
                throw new IllegalArgumentException("Evaluator: at least one shot convention is needed");
            }
            this.conventions = List.of(conventions);
            return this;
        }

        /** Convention behind the unprefixed many/medium/few metrics; default DECOUPLING. */
        public Builder optPrimaryConvention(ShotConvention primary) {
            if (primary == null) {
                throw new IllegalArgumentException("Evaluator: primary convention must not be null");
            }
            this.primary = primary;
            return this;
        }

        /** Default {@link EmptyGroupPolicy#NAN}. */
        public Builder optEmptyGroupPolicy(EmptyGroupPolicy policy) {
            if (policy == null) {
                throw new IllegalArgumentException("Evaluator: emptyGroupPolicy must not be null");
            }
            this.emptyPolicy = policy;
            return this;
        }

        /** Whether the scores are already probabilities (ECE then skips the softmax); default false (logits). */
        public Builder optScoresAreProbabilities(boolean probabilities) {
            this.probabilities = probabilities;
            return this;
        }

        /**
         * Whether to build the C×C confusion matrix; default true. Turn it off for very many classes (iNaturalist's
         * 8142 classes need 8142² longs ≈ 530 MB); the report's {@code confusion()} is then {@code null}.
         */
        public Builder optConfusionMatrix(boolean confusion) {
            this.confusion = confusion;
            return this;
        }

        public Evaluator build() {
            if (trainCounts == null || trainCounts.length == 0) {
                throw new IllegalArgumentException("Evaluator: setTrainClassCounts(...) needs one count per class");
            }
            if (!conventions.contains(primary)) {
                throw new IllegalArgumentException("Evaluator: primary convention " + primary
                        + " is not among the requested conventions " + conventions);
            }
            return new Evaluator(this);
        }
    }
}
