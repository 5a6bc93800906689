package dev.vlltr.core.calibrate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;

/**
 * Trains a fresh linear classifier on frozen features with SGD + momentum and a per-epoch cosine schedule: the
 * <b>joint baseline</b> (instance-balanced batches, {@link SgdSchedule#joint()}) and <b>cRT</b> (class-aware
 * batches, 4 per class, {@link SgdSchedule#crt()}, the default) of Decoupling. Which one it is depends only on the
 * {@link BatchIndexSource} and the schedule.
 *
 * <p>Faithful to {@code cls_crt.yaml} / {@code run_networks.py}: the classifier is re-initialised like PyTorch's
 * {@code nn.Linear} (W and b uniform in {@code ±1/sqrt(D)}, drawn from a seeded {@link SplittableRandom}, so the
 * values differ from torch's generator but not the distribution); loss = mean softmax cross-entropy; weight decay
 * on weight and bias; the scheduler is stepped at the start of each epoch ({@link SchedulerStepOrder}); with a
 * validation split the epoch with the best pooled validation top-1 is returned ({@code state_dict_best}), without
 * one the last epoch. The BatchNorm policy is only recorded here, see {@link BnPolicy}.
 *
 * <pre>{@code
 * Result crt = ClassifierRetrainer.builder().setBatchSource(classAware).optSeed(0).build().train(trainFeatures);
 * }</pre>
 */
public final class ClassifierRetrainer {

    /** The trained classifier and its per-epoch history. */
    public record Result(LinearClassifier classifier, TrainingHistory history) {
    }

    private final BatchIndexSource batches;
    private final SgdSchedule schedule;
    private final long seed;
    private final LabeledFeatures validation;
    private final BnPolicy bnPolicy;
    private final Device device;

    private ClassifierRetrainer(Builder b) {
        this.batches = b.batches;
        this.schedule = b.schedule;
        this.seed = b.seed;
        this.validation = b.validation;
        this.bnPolicy = b.bnPolicy;
        this.device = b.device;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** PyTorch {@code nn.Linear} default initialisation: every weight and bias uniform in ±1/sqrt(D). */
    public static LinearClassifier pytorchDefaultInit(int numClasses, int featureDim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(featureDim);
        float[][] w = new float[numClasses][featureDim];
        float[] b = new float[numClasses];
        for (float[] row : w) {
            for (int j = 0; j < featureDim; j++) {
                row[j] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
        }
        for (int c = 0; c < numClasses; c++) {
            b[c] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return new LinearClassifier(w, b);
    }

    /** Trains a freshly initialised classifier on {@code train} (must be tagged {@link SplitRole#TRAIN}). */
    public Result train(LabeledFeatures train) {
        if (train == null || train.split() != SplitRole.TRAIN) {
            throw new IllegalArgumentException("ClassifierRetrainer: training features must be tagged TRAIN, got "
                    + (train == null ? "null" : train.split()));
        }
        SgdTrainingLoop.checkValidation(validation, train, "ClassifierRetrainer");
        int c = train.numClasses();
        int d = train.featureDim();
        LinearClassifier init = pytorchDefaultInit(c, d, seed);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray w = init.weightArray(manager);
            NDArray b = init.biasArray(manager);
            SgdTrainingLoop.Outcome out = SgdTrainingLoop.run(manager, new NDArray[] {w, b}, LogitModel.linear(),
                    train, batches, schedule, validation, bnPolicy, "ClassifierRetrainer");
            return new Result(toLinear(out.params(), c, d), out.history());
        }
    }

    private static LinearClassifier toLinear(float[][] params, int c, int d) {
        float[][] w = new float[c][d];
        for (int i = 0; i < c; i++) {
            System.arraycopy(params[0], i * d, w[i], 0, d);
        }
        return new LinearClassifier(w, params[1]);
    }

    /** Builder: {@code setBatchSource} is required. */
    public static final class Builder {
        private BatchIndexSource batches;
        private SgdSchedule schedule = SgdSchedule.crt();
        private long seed;
        private LabeledFeatures validation;
        private BnPolicy bnPolicy = BnPolicy.defaultPolicy();
        private Device device = Device.cpu();

        /** Mini-batches per epoch: class-aware for cRT, instance-balanced for the joint baseline. Required. */
        public Builder setBatchSource(BatchIndexSource batches) {
            this.batches = batches;
            return this;
        }

        /** Optimiser and schedule; default {@link SgdSchedule#crt()} (lr 0.2 for batch 512, 10 epochs). */
        public Builder optSchedule(SgdSchedule schedule) {
            if (schedule == null) {
                throw new IllegalArgumentException("ClassifierRetrainer: schedule must not be null");
            }
            this.schedule = schedule;
            return this;
        }

        /** Seed of the classifier initialisation; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Validation split for best-epoch selection (official behaviour); default none (last epoch). */
        public Builder optValidation(LabeledFeatures validation) {
            this.validation = validation;
            return this;
        }

        /** BatchNorm policy to record; default {@link BnPolicy#REESTIMATE} (see {@link BnPolicy}). */
        public Builder optBnPolicy(BnPolicy policy) {
            if (policy == null) {
                throw new IllegalArgumentException("ClassifierRetrainer: bnPolicy must not be null");
            }
            this.bnPolicy = policy;
            return this;
        }

        /** Device for the autograd computation; default CPU. */
        public Builder optDevice(Device device) {
            if (device == null) {
                throw new IllegalArgumentException("ClassifierRetrainer: device must not be null");
            }
            this.device = device;
            return this;
        }

        public ClassifierRetrainer build() {
            if (batches == null) {
                throw new IllegalArgumentException("ClassifierRetrainer: setBatchSource(...) is required");
            }
            return new ClassifierRetrainer(this);
        }
    }
}
