package dev.vlltr.core.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.vlltr.core.data.FloatBatch;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.IntToDoubleFunction;

/**
 * The one mini-batch training loop of ltr-core (DJL's {@code EasyTrain.fit} / Tribuo's {@code AbstractSGDTrainer}
 * shape): it owns the DJL model and trainer, the optimizer, the per-epoch learning rate, state export/import for
 * checkpoints and closing. A subclass supplies the science through one hook, {@link #lossParts}: a batch → its loss
 * parts (the first is minimised, the others are reported), and turns an epoch's {@link EpochTotals} into its own
 * statistics record.
 *
 * <p>Devices ({@link TrainingDevices}): with several, each batch is split into one shard per device, each shard's
 * forward pass runs on its device, and the outputs are gathered (with gradient flow) onto the first device, where the
 * subclass computes the loss over the <em>global</em> batch: VL-LTR's all-gather of features before the contrastive
 * logits ({@code GatherLayer} in the official {@code models/pretrain.py}). Backward reaches every device's copy of the
 * parameters and DJL's parameter server sums their gradients before the optimizer step ({@link ShardedForward}). Layers that mix samples
 * (BatchNorm in training mode) see their shard only, as under the official {@code DistributedDataParallel} without
 * SyncBatchNorm.
 *
 * <p>Resuming: {@link #exportState()} / {@link #importState(State)} carry parameters (BatchNorm statistics included)
 * and the optimizer's state; as long as a subclass draws its randomness from (seed, epoch, batch index), a resumed
 * run ends exactly like an uninterrupted one.
 *
 * @param <S> the subclass's per-epoch statistics
 */
public abstract class EpochTrainer<S> implements AutoCloseable {

    /** Everything needed to resume: parameters (incl. BatchNorm statistics) and optimizer state. */
    public record State(byte[] parameters, OptimizerState optimizer) {
        /** @return a state of its stored parts (as a checkpoint holds them) */
        public static State of(byte[] parameters, byte[] optimizerMoments, Map<String, Integer> steps) {
            return new State(parameters, OptimizerState.of(optimizerMoments, steps));
        }

        /** @return the stored parts handed to {@code into} (e.g. a checkpoint record's constructor) */
        public <R> R to(Parts<R> into) {
            return into.of(parameters, optimizer.moments(), optimizer.steps());
        }
    }

    /** Something made of a state's stored parts. */
    @FunctionalInterface
    public interface Parts<R> {
        R of(byte[] parameters, byte[] optimizerMoments, Map<String, Integer> optimizerSteps);
    }

    /**
     * What one epoch added up to.
     *
     * @param epoch   0-based epoch
     * @param lr      its learning rate
     * @param sums    per loss part, the sum over steps of the part's value
     * @param steps   optimizer steps
     * @param images  training rows seen
     * @param seconds wall time
     */
    protected record EpochTotals(int epoch, double lr, double[] sums, int steps, int images, double seconds) {
        /** @return the mean of part {@code i} over the steps, NaN when the hook did not report it */
        public double mean(int i) {
            return i < sums.length ? sums[i] / Math.max(steps, 1) : Double.NaN;
        }

        /** @return the sum of part {@code i} over the steps, NaN when the hook did not report it */
        public double sum(int i) {
            return i < sums.length ? sums[i] : Double.NaN;
        }
    }

    /**
     * The learning rate of the current epoch: the schedule is evaluated once per epoch, and optimizers read it at
     * every update through this supplier (timm's {@code t_in_epochs} and Decoupling's per-epoch scheduler step).
     */
    protected static final class LearningRate implements DoubleSupplier {
        private final IntToDoubleFunction schedule;
        private volatile double current;

        /** @param schedule epoch → learning rate */
        public LearningRate(IntToDoubleFunction schedule) {
            this.schedule = schedule;
            this.current = schedule.applyAsDouble(0);
        }

        void startEpoch(int epoch) {
            current = schedule.applyAsDouble(epoch);
        }

        @Override
        public double getAsDouble() {
            return current;
        }
    }

    /**
     * What a subclass hands the loop.
     *
     * @param model       the DJL model whose block is trained
     * @param ownsModel   whether closing the trainer closes the model
     * @param optimizer   a {@link ResumableOptimizer} reading {@code learningRate}
     * @param learningRate the per-epoch learning rate the optimizer reads
     * @param loss        DJL's training config wants one; the hook computes the parts itself
     * @param devices     where the trainer runs (several: data-parallel), or null for the model's own device
     * @param inputShapes shapes to initialise the block with (batch dimension 1), none when already initialised
     */
    protected record Setup(Model model, boolean ownsModel, Optimizer optimizer, LearningRate learningRate, Loss loss,
            TrainingDevices devices, Shape... inputShapes) {
        public Setup {
            Objects.requireNonNull(model, "model");
            if (!(optimizer instanceof ResumableOptimizer)) {
                throw new IllegalArgumentException("EpochTrainer: the optimizer must be a ResumableOptimizer, got "
                        + optimizer);
            }
        }

        /** One device (null: the model's own). */
        public Setup(Model model, boolean ownsModel, Optimizer optimizer, LearningRate learningRate, Loss loss,
                Device device, Shape... inputShapes) {
            this(model, ownsModel, optimizer, learningRate, loss,
                    device == null ? null : new TrainingDevices(device.toString(), List.of(device)),
                    inputShapes);
        }
    }

    private final Model model;
    private final boolean ownsModel;
    private final Block block;
    private final Trainer trainer;
    private final ResumableOptimizer optimizer;
    private final LearningRate learningRate;
    private final TrainingDevices devices;

    protected EpochTrainer(Setup setup) {
        this.model = setup.model();
        this.ownsModel = setup.ownsModel();
        this.block = model.getBlock();
        this.optimizer = (ResumableOptimizer) setup.optimizer();
        this.learningRate = setup.learningRate();
        this.devices = setup.devices();
        DefaultTrainingConfig config = new DefaultTrainingConfig(setup.loss()).optOptimizer(setup.optimizer());
        // never DJL's default list: that is every GPU on a GPU host, whatever device the model was made on
        config.optDevices(devices != null ? devices.distinct() : new Device[] {model.getNDManager().getDevice()});
        this.trainer = model.newTrainer(config);
        if (setup.inputShapes().length > 0) {
            Shape[] batched = new Shape[setup.inputShapes().length];
            for (int i = 0; i < batched.length; i++) {
                batched[i] = new Shape(1).addAll(setup.inputShapes()[i]);
            }
            trainer.initialize(batched);
        }
    }

    /**
     * The hook: the loss parts of one batch, computed inside the gradient collector (use {@link #forward}).
     *
     * @param step  manager of the step's arrays (closed after the step)
     * @param batch the batch
     * @param epoch 0-based epoch (for per-epoch draws)
     * @return scalars: the loss to minimise first, then any parts to report
     */
    protected abstract NDList lossParts(NDManager step, FloatBatch batch, int epoch);

    /** @return the subclass's statistics of an epoch */
    protected abstract S stats(EpochTotals totals);

    /**
     * Trains one epoch: the learning rate of {@code epoch}, then per batch forward + loss parts, backward, one
     * optimizer step.
     *
     * @param epoch   0-based epoch (selects the learning rate and the subclass's per-epoch draws)
     * @param batches the epoch's batches (e.g. a {@code BatchLoader.Epoch})
     * @return the epoch's statistics
     */
    public final S trainEpoch(int epoch, Iterator<FloatBatch> batches) {
        return trainEpoch(epoch, batches, Partial.START, p -> { });
    }

    /**
     * The running totals of an epoch part-way: loss-part sums, steps and images so far. Saved with a mid-epoch
     * checkpoint, they let the resumed epoch report the same means as an uninterrupted one (the sums are added in the
     * same order; doubles round-trip exactly through their decimal strings).
     *
     * @param sums   per loss part, the sum over the steps so far
     * @param steps  steps (batches) done in this epoch
     * @param images images done in this epoch
     */
    public record Partial(double[] sums, int steps, int images) {

        public static final Partial START = new Partial(new double[0], 0, 0);
        private static final String SUMS = "train.sums";
        private static final String STEPS = "train.steps";
        private static final String IMAGES = "train.images";

        /** @return the entries to merge into a checkpoint's progress state */
        public Map<String, String> toState() {
            StringBuilder b = new StringBuilder();
            for (double v : sums) {
                b.append(b.length() == 0 ? "" : ",").append(Double.toString(v));
            }
            return Map.of(SUMS, b.toString(), STEPS, Integer.toString(steps), IMAGES, Integer.toString(images));
        }

        /** @return the totals saved in {@code state}, {@link #START} when it has none */
        public static Partial fromState(Map<String, String> state) {
            if (!state.containsKey(STEPS)) {
                return START;
            }
            String s = state.get(SUMS);
            double[] sums = s == null || s.isEmpty() ? new double[0]
                    : java.util.Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
            return new Partial(sums, Integer.parseInt(state.get(STEPS)), Integer.parseInt(state.get(IMAGES)));
        }
    }

    /**
     * As {@link #trainEpoch(int, Iterator)}, continuing from the totals {@code from} of a resumed epoch and handing the
     * totals to {@code afterBatch} after every step (where a stage saves mid-epoch checkpoints).
     */
    public final S trainEpoch(int epoch, Iterator<FloatBatch> batches, Partial from,
            java.util.function.Consumer<Partial> afterBatch) {
        learningRate.startEpoch(epoch);
        long t0 = System.nanoTime();
        double[] sums = from.sums().clone();
        int steps = from.steps();
        int images = from.images();
        while (batches.hasNext()) {
            FloatBatch batch = batches.next();
            try (NDManager step = trainer.getManager().newSubManager()) {
                NDList parts;
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    parts = lossParts(step, batch, epoch);
                    gc.backward(parts.get(0));
                }
                trainer.step();
                if (sums.length < parts.size()) {
                    sums = java.util.Arrays.copyOf(sums, parts.size());
                }
                for (int i = 0; i < parts.size(); i++) {
                    sums[i] += parts.get(i).getFloat();
                }
                steps++;
                images += batch.size();
            }
            afterBatch.accept(new Partial(sums.clone(), steps, images));
        }
        return stats(new EpochTotals(epoch, learningRate.getAsDouble(), sums, steps, images,
                (System.nanoTime() - t0) / 1e9));
    }

    /**
     * Forward pass of the trained block in training mode (for the hook). With several devices: one shard of the batch
     * per device, outputs gathered on the first device (see the class comment).
     */
    protected final NDList forward(NDList inputs) {
        if (devices == null) {
            return trainer.forward(inputs);
        }
        return new ShardedForward(devices, this::isPerSample).apply(inputs, trainer::forward);
    }

    /**
     * @param outputIndex index in the block's output list
     * @return whether that output has one row per sample (gathered over shards) rather than being shared (e.g. a
     *     learned scale, taken from the first device)
     */
    protected boolean isPerSample(int outputIndex) {
        return true;
    }

    /** @return the devices this trainer runs on (null: the model's own device) */
    public TrainingDevices getDevices() {
        return devices;
    }

    /** @return the manager of the training session (for inference helpers) */
    public NDManager getManager() {
        return trainer.getManager();
    }

    /** @return the current state, for a checkpoint */
    public State exportState() throws IOException {
        return new State(ParameterSnapshot.export(block), optimizer.exportState(block));
    }

    /** Restores a state exported by a trainer of the same architecture and configuration. */
    public void importState(State state) throws IOException {
        ParameterSnapshot.restore(block, state.parameters());
        optimizer.importState(block, state.optimizer(), trainer.getManager());
    }

    /** @return the current state's stored parts handed to {@code into} (e.g. a checkpoint record's constructor) */
    public <R> R exportState(Parts<R> into) throws IOException {
        return exportState().to(into);
    }

    /** Restores a state from its stored parts (as a checkpoint holds them). */
    public void importState(byte[] parameters, byte[] optimizerMoments, Map<String, Integer> optimizerSteps)
            throws IOException {
        importState(State.of(parameters, optimizerMoments, optimizerSteps));
    }

    /** {@inheritDoc} */
    @Override
    public void close() {
        trainer.close();
        if (ownsModel) {
            model.close();
        }
    }
}
