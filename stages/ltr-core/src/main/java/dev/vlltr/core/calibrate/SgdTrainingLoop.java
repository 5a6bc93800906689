package dev.vlltr.core.calibrate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vlltr.core.nd.ScalarConstants;

/**
 * The epoch loop shared by {@link ClassifierRetrainer} and {@link LearnableWeightScaling}: batches from a
 * {@link BatchIndexSource}, mean cross-entropy by autograd, {@link SgdMomentum} updates, per-epoch cosine lr, and
 * (with a validation split) keeping the epoch with the best pooled validation top-1 like the official
 * {@code state_dict_best} (first maximum, strict improvement).
 */
final class SgdTrainingLoop {

    record Outcome(float[][] params, TrainingHistory history) {
    }

    private SgdTrainingLoop() {
    }

    static Outcome run(NDManager manager, NDArray[] masters, LogitModel model, LabeledFeatures train,
                       BatchIndexSource batches, SgdSchedule schedule, LabeledFeatures validation,
                       BnPolicy bnPolicy, String who) {
        int epochs = schedule.epochs();
        double[] lrs = new double[epochs];
        double[] losses = new double[epochs];
        double[] valTop1 = validation == null ? null : new double[epochs];
        float[][] best = null;
        double bestAcc = Double.NEGATIVE_INFINITY;
        int bestEpoch = epochs - 1;
        int d = train.featureDim();
        try (SgdMomentum sgd = new SgdMomentum(schedule.momentum(), schedule.weightDecay());
                ScalarConstants constants = new ScalarConstants(manager)) {
            for (int e = 0; e < epochs; e++) {
                double lr = schedule.learningRateAt(e);
                lrs[e] = lr;
                int[][] epochBatches = batches.epoch(e);
                if (epochBatches == null) {
                    throw new IllegalArgumentException(who + ": batch source returned null for epoch " + e);
                }
                double lossSum = 0;
                int steps = 0;
                for (int[] batch : epochBatches) {
                    if (batch == null || batch.length == 0) {
                        throw new IllegalArgumentException(who + ": batch source returned an empty batch in epoch "
                                + e);
                    }
                    float[] flat = new float[batch.length * d];
                    int[] labels = new int[batch.length];
                    for (int i = 0; i < batch.length; i++) {
                        int idx = batch[i];
                        if (idx < 0 || idx >= train.size()) {
                            throw new IllegalArgumentException(who + ": batch index " + idx + " in epoch " + e
                                    + " is outside [0, " + train.size() + ")");
                        }
                        System.arraycopy(train.features()[idx], 0, flat, i * d, d);
                        labels[i] = train.labels()[idx];
                    }
                    try (NDManager step = manager.newSubManager()) {
                        NDArray[] leaves = new NDArray[masters.length];
                        for (int i = 0; i < masters.length; i++) {
                            leaves[i] = masters[i].duplicate();
                            leaves[i].attach(step);
                            leaves[i].setRequiresGradient(true);
                        }
                        NDArray x = step.create(flat, new Shape(batch.length, d));
                        CrossEntropyObjective.LossAndGradients lg =
                                CrossEntropyObjective.evaluate(model, leaves, x, labels, constants);
                        sgd.step(masters, lg.gradients(), lr);
                        lossSum += lg.loss();
                        steps++;
                    }
                }
                losses[e] = steps == 0 ? Double.NaN : lossSum / steps;
                if (validation != null) {
                    valTop1[e] = validationTop1(manager, masters, model, validation);
                    if (valTop1[e] > bestAcc) {
                        bestAcc = valTop1[e];
                        best = snapshot(masters);
                        bestEpoch = e;
                    }
                }
            }
        }
        if (best == null) {
            best = snapshot(masters);
        }
        return new Outcome(best, new TrainingHistory(lrs, losses, valTop1, bestEpoch, bnPolicy));
    }

    /**
     * Pooled top-1 of the current parameters on the validation split, computed by the engine (argmax returns the
     * first maximal index, like {@link dev.vlltr.core.eval.Scores#argmax(float[])}).
     */
    static double validationTop1(NDManager manager, NDArray[] masters, LogitModel model, LabeledFeatures val) {
        int n = val.size();
        int d = val.featureDim();
        try (NDManager tmp = manager.newSubManager()) {
            float[] flat = new float[n * d];
            for (int i = 0; i < n; i++) {
                System.arraycopy(val.features()[i], 0, flat, i * d, d);
            }
            NDArray x = tmp.create(flat, new Shape(n, d));
            NDArray[] params = new NDArray[masters.length];
            for (int i = 0; i < masters.length; i++) {
                params[i] = masters[i].duplicate();
                params[i].attach(tmp);
            }
            long[] pred = model.logits(params, x).argMax(1).toLongArray();
            long correct = 0;
            for (int i = 0; i < n; i++) {
                if (pred[i] == val.labels()[i]) {
                    correct++;
                }
            }
            return (double) correct / n;
        }
    }

    static float[][] snapshot(NDArray[] masters) {
        float[][] out = new float[masters.length][];
        for (int i = 0; i < masters.length; i++) {
            out[i] = masters[i].toFloatArray();
        }
        return out;
    }

    static void checkValidation(LabeledFeatures validation, LabeledFeatures train, String who) {
        if (validation == null) {
            return;
        }
        if (validation.split() != SplitRole.VALIDATION) {
            throw new IllegalArgumentException(who + ": model selection needs features tagged VALIDATION, got "
                    + validation.split());
        }
        if (validation.numClasses() != train.numClasses() || validation.featureDim() != train.featureDim()) {
            throw new IllegalArgumentException(who + ": validation is " + validation.numClasses() + " classes × D="
                    + validation.featureDim() + " but train is " + train.numClasses() + " classes × D="
                    + train.featureDim());
        }
    }
}
