package dev.vlltr.core.calibrate;

/**
 * Selects τ for {@link TauNormalizedClassifier} on the <b>validation</b> split. The official {@code tau_norm.py}
 * prints accuracies for {@code np.linspace(0, 2, 21)} on train/val/test dumps; the paper selects τ on validation,
 * while the authors admit tuning on test for iNaturalist (classifier-balancing issue #5). This class only accepts
 * features tagged {@link SplitRole#VALIDATION}; anything else is rejected.
 *
 * <pre>{@code
 * TauSweepResult r = TauSweep.builder().setClassifier(joint).build().run(valFeatures);
 * Classifier tauNorm = TauNormalizedClassifier.of(joint, r.bestTau());
 * }</pre>
 */
public final class TauSweep {

    /** The official grid {@code np.linspace(0, 2, 21)}: 0, 0.1, …, 2.0. */
    public static double[] defaultGrid() {
        double[] g = new double[21];
        double step = 2.0 / 20;
        for (int i = 0; i < g.length; i++) {
            g[i] = i * step; // numpy's linspace: arange(num) * step + start, last point set to stop
        }
        g[20] = 2.0;
        return g;
    }

    private final LinearClassifier classifier;
    private final double[] grid;
    private final TauSelectionMetric metric;

    private TauSweep(Builder b) {
        this.classifier = b.classifier;
        this.grid = b.grid.clone();
        this.metric = b.metric;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores every τ of the grid on {@code validation} and picks the best (first maximum).
     *
     * @throws IllegalArgumentException if {@code validation} is not tagged {@link SplitRole#VALIDATION}, or its
     *                                  dimensions do not match the classifier
     */
    public TauSweepResult run(LabeledFeatures validation) {
        if (validation == null) {
            throw new IllegalArgumentException("TauSweep: validation features must not be null");
        }
        if (validation.split() != SplitRole.VALIDATION) {
            throw new IllegalArgumentException("TauSweep: tau must be selected on the VALIDATION split, got features "
                    + "tagged " + validation.split() + " (selecting on test leaks the test set)");
        }
        if (validation.numClasses() != classifier.numClasses()) {
            throw new IllegalArgumentException("TauSweep: validation has numClasses = " + validation.numClasses()
                    + " but the classifier has " + classifier.numClasses() + " classes");
        }
        if (validation.featureDim() != classifier.featureDim()) {
            throw new IllegalArgumentException("TauSweep: validation features have D = " + validation.featureDim()
                    + " but the classifier expects " + classifier.featureDim());
        }
        double[] scores = new double[grid.length];
        int best = 0;
        for (int i = 0; i < grid.length; i++) {
            float[][] s = TauNormalizedClassifier.of(classifier, grid[i]).scores(validation.features());
            scores[i] = metric.score(s, validation.labels(), validation.numClasses());
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return new TauSweepResult(grid.clone(), scores, metric, SplitRole.VALIDATION, best);
    }

    /** Builder: {@code setClassifier} is required. */
    public static final class Builder {
        private LinearClassifier classifier;
        private double[] grid = defaultGrid();
        private TauSelectionMetric metric = TauSelectionMetric.MEAN_CLASS_ACCURACY;

        /** The jointly trained (stage-1) classifier whose weights are normalised. Required. */
        public Builder setClassifier(LinearClassifier classifier) {
            this.classifier = classifier;
            return this;
        }

        /** τ values to try; default {@link #defaultGrid()}. */
        public Builder optGrid(double... taus) {
            if (taus == null || taus.length == 0) {
                throw new IllegalArgumentException("TauSweep: grid must contain at least one tau");
            }
            for (double t : taus) {
                if (!Double.isFinite(t)) {
                    throw new IllegalArgumentException("TauSweep: grid contains a non-finite tau " + t);
                }
            }
            this.grid = taus.clone();
            return this;
        }

        /** Metric to maximise; default {@link TauSelectionMetric#MEAN_CLASS_ACCURACY}. */
        public Builder optMetric(TauSelectionMetric metric) {
            if (metric == null) {
                throw new IllegalArgumentException("TauSweep: metric must not be null");
            }
            this.metric = metric;
            return this;
        }

        public TauSweep build() {
            if (classifier == null) {
                throw new IllegalArgumentException("TauSweep: setClassifier(...) is required");
            }
            return new TauSweep(this);
        }
    }
}
