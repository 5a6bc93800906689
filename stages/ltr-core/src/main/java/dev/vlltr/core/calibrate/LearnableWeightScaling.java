package dev.vlltr.core.calibrate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Learnable Weight Scaling (LWS) of Decoupling ({@code models/TauNormClassifier.py}, {@code cls_lws.yaml}): the
 * stage-1 {@code fc} (weight <b>and bias</b>) is loaded and frozen, per-class scales {@code s} are initialised to 1
 * and trained with {@code logits = (x Wᵀ + b) ⊙ s}, class-aware batches (4 per class), SGD lr 0.2 (batch 512),
 * momentum 0.9, weight decay 5e-4 (on the scales), 5 epochs, cosine to 0 ({@link SgdSchedule#lws()}).
 * Best-epoch selection on an optional validation split and {@link BnPolicy} as in {@link ClassifierRetrainer}.
 */
public final class LearnableWeightScaling {

    /** The scaled classifier and its per-epoch history. */
    public record Result(ScaledLinearClassifier classifier, TrainingHistory history) {
    }

    private final LinearClassifier base;
    private final BatchIndexSource batches;
    private final SgdSchedule schedule;
    private final LabeledFeatures validation;
    private final BnPolicy bnPolicy;
    private final Device device;

    private LearnableWeightScaling(Builder b) {
        this.base = b.base;
        this.batches = b.batches;
        this.schedule = b.schedule;
        this.validation = b.validation;
        this.bnPolicy = b.bnPolicy;
        this.device = b.device;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Learns the scales on {@code train} (must be tagged {@link SplitRole#TRAIN}). */
    public Result train(LabeledFeatures train) {
        if (train == null || train.split() != SplitRole.TRAIN) {
            throw new IllegalArgumentException("LearnableWeightScaling: training features must be tagged TRAIN, got "
                    + (train == null ? "null" : train.split()));
        }
        if (train.numClasses() != base.numClasses() || train.featureDim() != base.featureDim()) {
            throw new IllegalArgumentException("LearnableWeightScaling: train is " + train.numClasses()
                    + " classes × D=" + train.featureDim() + " but the classifier is " + base.numClasses()
                    + " classes × D=" + base.featureDim());
        }
        SgdTrainingLoop.checkValidation(validation, train, "LearnableWeightScaling");
        int c = base.numClasses();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray w = base.weightArray(manager);
            NDArray b = base.biasArray(manager);
            float[] ones = new float[c];
            java.util.Arrays.fill(ones, 1f);
            NDArray s = manager.create(ones);
            SgdTrainingLoop.Outcome out = SgdTrainingLoop.run(manager, new NDArray[] {s},
                    LogitModel.scaledLinear(w, b), train, batches, schedule, validation, bnPolicy,
                    "LearnableWeightScaling");
            return new Result(new ScaledLinearClassifier(base, out.params()[0]), out.history());
        }
    }

    /** Builder: {@code setClassifier} and {@code setBatchSource} are required. */
    public static final class Builder {
        private LinearClassifier base;
        private BatchIndexSource batches;
        private SgdSchedule schedule = SgdSchedule.lws();
        private LabeledFeatures validation;
        private BnPolicy bnPolicy = BnPolicy.defaultPolicy();
        private Device device = Device.cpu();

        /** The jointly trained stage-1 classifier (frozen). Required. */
        public Builder setClassifier(LinearClassifier base) {
            this.base = base;
            return this;
        }

        /** Class-aware mini-batches. Required. */
        public Builder setBatchSource(BatchIndexSource batches) {
            this.batches = batches;
            return this;
        }

        /** Default {@link SgdSchedule#lws()}. */
        public Builder optSchedule(SgdSchedule schedule) {
            if (schedule == null) {
                throw new IllegalArgumentException("LearnableWeightScaling: schedule must not be null");
            }
            this.schedule = schedule;
            return this;
        }

        /** Validation split for best-epoch selection; default none (last epoch). */
        public Builder optValidation(LabeledFeatures validation) {
            this.validation = validation;
            return this;
        }

        /** Default {@link BnPolicy#REESTIMATE}. */
        public Builder optBnPolicy(BnPolicy policy) {
            if (policy == null) {
                throw new IllegalArgumentException("LearnableWeightScaling: bnPolicy must not be null");
            }
            this.bnPolicy = policy;
            return this;
        }

        /** Default CPU. */
        public Builder optDevice(Device device) {
            if (device == null) {
                throw new IllegalArgumentException("LearnableWeightScaling: device must not be null");
            }
            this.device = device;
            return this;
        }

        public LearnableWeightScaling build() {
            if (base == null) {
                throw new IllegalArgumentException("LearnableWeightScaling: setClassifier(...) is required");
            }
            if (batches == null) {
                throw new IllegalArgumentException("LearnableWeightScaling: setBatchSource(...) is required");
            }
            return new LearnableWeightScaling(this);
        }
    }
}
