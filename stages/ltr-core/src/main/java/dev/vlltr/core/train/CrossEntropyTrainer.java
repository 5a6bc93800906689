package dev.vlltr.core.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import dev.vlltr.core.calibrate.SgdSchedule;
import dev.vlltr.core.data.FloatBatch;
import java.util.List;

/**
 * One epoch of end-to-end softmax cross-entropy training of a {@link SupervisedModel} (Decoupling's stage 1): mean
 * softmax CE against one-hot targets, {@link TorchSgd} driven by an {@link SgdSchedule} evaluated once per epoch.
 * Parts reported: the loss and the count of correctly classified training rows (so that the epoch's training top-1
 * is their sum over the rows seen). {@link SupervisedTrainer} drives it over epochs with validation.
 */
public final class CrossEntropyTrainer extends EpochTrainer<CrossEntropyTrainer.EpochStats> {

    /** One epoch: learning rate, mean CE, training top-1, size and duration. */
    public record EpochStats(int epoch, double lr, double meanLoss, double trainTop1, int steps, int images,
            double seconds) {}

    private final int numClasses;

    /**
     * @param model    an initialised network; the trainer does not close it
     * @param schedule learning rate per epoch, momentum and weight decay
     * @param device   where to train
     */
    public CrossEntropyTrainer(SupervisedModel model, SgdSchedule schedule, Device device) {
        this(model, schedule, device == null ? null : new TrainingDevices(device.toString(), List.of(device)));
    }

    /**
     * @param model    an initialised network; the trainer does not close it
     * @param schedule learning rate per epoch, momentum and weight decay
     * @param devices  where to train (several: data-parallel), null for the engine's default
     */
    public CrossEntropyTrainer(SupervisedModel model, SgdSchedule schedule, TrainingDevices devices) {
        super(setup(model, schedule, devices));
        this.numClasses = model.numClasses();
    }

    private static Setup setup(SupervisedModel model, SgdSchedule schedule, TrainingDevices device) {
        LearningRate lr = new LearningRate(schedule::learningRateAt);
        TorchSgd sgd = TorchSgd.builder().setLearningRate(lr).optMomentum(schedule.momentum())
                .optWeightDecay(schedule.weightDecay()).build();
        // DJL's config wants a loss; the hook computes CE itself (one-hot targets, as the official code)
        return new Setup(model.model(), false, sgd, lr, Loss.softmaxCrossEntropyLoss(), device);
    }

    @Override
    protected NDList lossParts(NDManager step, FloatBatch batch, int epoch) {
        NDArray x = batch.imagesArray(step);
        long[] y = new long[batch.size()];
        for (int k = 0; k < y.length; k++) {
            y[k] = batch.labels()[k];
        }
        NDArray labels = step.create(y);
        NDArray logits = forward(new NDList(x)).singletonOrThrow();
        NDArray loss = logits.logSoftmax(1).mul(labels.oneHot(numClasses)).sum(new int[] {1}).neg().mean();
        NDArray correct = logits.argMax(1).eq(labels).sum().toType(DataType.FLOAT32, false);
        return new NDList(loss, correct);
    }

    @Override
    protected EpochStats stats(EpochTotals t) {
        return new EpochStats(t.epoch(), t.lr(), t.mean(0), t.sum(1) / Math.max(t.images(), 1), t.steps(),
                t.images(), t.seconds());
    }
}
