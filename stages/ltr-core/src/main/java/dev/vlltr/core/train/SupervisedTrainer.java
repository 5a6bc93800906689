package dev.vlltr.core.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import dev.vlltr.core.calibrate.SgdSchedule;
import dev.vlltr.core.data.Augmentation;
import dev.vlltr.core.data.AugmentationPipeline;
import dev.vlltr.core.data.BatchLoader;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.ImageSet;
import dev.vlltr.core.data.PrefetchQueue;
import dev.vlltr.core.data.Sampler;
import dev.vlltr.core.eval.TopKAccuracy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * End-to-end softmax cross-entropy training of a {@link SupervisedModel}, epoch by epoch with {@link CrossEntropyTrainer}, (ResNet + linear classifier) on a
 * long-tailed train set: Decoupling's stage 1 ("joint" training, {@code feat_*.yaml}, {@code run_networks.py}) and
 * the plain CE baseline that LGR is compared against.
 *
 * <p>Faithful to the official stage 1: {@link TorchSgd} (momentum 0.9, weight decay 5e-4 on every parameter), mean
 * softmax CE, a cosine schedule to 0 stepped once per epoch <b>before</b> it ({@link SgdSchedule}, official order:
 * the last epoch trains at lr 0), a fixed epoch length of {@code floor(N / batch)} steps for every sampler, and —
 * with a validation set — the epoch with the best validation top-1 is kept (official {@code best_model_weights}).
 * The default schedule is {@link SgdSchedule#joint()} (lr 0.2 for batch 512) linearly scaled to the batch size
 * (0.05 for the default batch 128); the sampler decides instance-balanced, class-balanced, square-root or
 * progressively-balanced training. Augmentation defaults to Fashion-MNIST's crop + flip + normalise.
 *
 * <p>Deterministic for a seed: the engine's generator is seeded before initialisation, batches come from the seeded
 * sampler and each batch's augmentation stream depends only on (seed, epoch, batch).
 *
 * <pre>{@code
 * Sampler s = Samplers.builder().setName("instance").setLabels(train.labels(), 10).optSeed(0).build();
 * try (SupervisedTrainer.Result r = SupervisedTrainer.builder().setTrainSet(train).setSampler(s)
 *         .optSchedule(SupervisedTrainer.defaultSchedule(128).withEpochs(10)).optValidation(val).build().train()) {
 *     SupervisedModel.Extraction test = r.model().extract(testSet, AugmentationPipeline.fashionMnistEval(), 256);
 * }
 * }</pre>
 */
public final class SupervisedTrainer {

    /** Default batch size (LDAM-DRW / CIFAR-LT practice; Decoupling's 512 with its lr scaled linearly). */
    public static final int DEFAULT_BATCH_SIZE = 128;

    /** What happened in one epoch. */
    public record EpochStats(int epoch, double learningRate, double meanLoss, double trainTop1, double valTop1,
            double seconds) {}

    /** Called after every epoch (progress, tracking). */
    @FunctionalInterface
    public interface EpochListener {
        void onEpoch(EpochStats stats);
    }

    /** The trained network (the selected epoch's parameters) and the per-epoch record. Closing frees the model. */
    public record Result(SupervisedModel model, List<EpochStats> history, int selectedEpoch) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    private final ImageSet train;
    private final ImageSet validation;
    private final Sampler sampler;
    private final int batchSize;
    private final SgdSchedule schedule;
    private final int depth;
    private final long seed;
    private final Augmentation augmentation;
    private final Augmentation evalAugmentation;
    private final int threads;
    private final boolean keepBest;
    private final EpochListener listener;
    private final Device device;
    private final TrainingDevices devices;
    private final java.util.function.IntFunction<PrefetchQueue> trainBatches;

    private SupervisedTrainer(Builder b) {
        this.train = b.train;
        this.validation = b.validation;
        this.sampler = b.sampler;
        this.batchSize = b.batchSize;
        this.schedule = b.schedule != null ? b.schedule : defaultSchedule(b.batchSize);
        this.depth = b.depth;
        this.seed = b.seed;
        this.augmentation = b.augmentation;
        this.evalAugmentation = b.evalAugmentation;
        this.threads = b.threads;
        this.keepBest = b.keepBest;
        this.listener = b.listener;
        this.device = b.device;
        this.devices = b.devices;
        this.trainBatches = b.trainBatches;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@link SgdSchedule#joint()} (lr 0.2 at batch 512, 90 epochs) with lr scaled linearly to {@code batchSize}. */
    public static SgdSchedule defaultSchedule(int batchSize) {
        return SgdSchedule.joint().withLinearlyScaledLr(512, batchSize);
    }

    public SgdSchedule schedule() {
        return schedule;
    }

    /** Trains a freshly initialised network, epoch by epoch ({@link CrossEntropyTrainer}), keeping the best. */
    public Result train() {
        Engine.getInstance().setRandomSeed((int) seed);
        Shape image = new Shape(train.channels(), train.height(), train.width());
        TrainingDevices on = devices != null ? devices : new TrainingDevices(device.toString(), List.of(device));
        SupervisedModel model = SupervisedModel.create(train.numClasses(), depth, image, on.primary());
        List<EpochStats> history = new ArrayList<>();
        int selected = schedule.epochs() - 1;
        try (CrossEntropyTrainer trainer = new CrossEntropyTrainer(model, schedule, on);
                BatchLoader loader = trainBatches != null ? null : BatchLoader.builder().setDataset(train)
                        .setBatches(Batches.of(sampler, batchSize)).optAugmentation(augmentation).optSeed(seed)
                        .optThreads(threads).build()) {
            double best = Double.NEGATIVE_INFINITY;
            byte[] bestParams = null;
            for (int e = 0; e < schedule.epochs(); e++) {
                long start = System.nanoTime();
                CrossEntropyTrainer.EpochStats st;
                try (PrefetchQueue epoch = trainBatches != null ? trainBatches.apply(e) : loader.epoch(e)) {
                    if (epoch.size() == 0) {
                        throw new IllegalArgumentException("SupervisedTrainer: an epoch of " + sampler.epochLength()
                                + " samples has no full batch of " + batchSize);
                    }
                    st = trainer.trainEpoch(e, epoch);
                }
                double val = Double.NaN;
                if (validation != null) {
                    SupervisedModel.Extraction v = model.extract(validation, evalAugmentation, 256);
                    val = TopKAccuracy.of(v.logits(), v.labels(), 1);
                    if (keepBest && val > best) {
                        best = val;
                        bestParams = model.snapshot();
                        selected = e;
                    }
                }
                EpochStats stats = new EpochStats(e, st.lr(), st.meanLoss(), st.trainTop1(), val,
                        (System.nanoTime() - start) / 1e9);
                history.add(stats);
                if (!Double.isFinite(stats.meanLoss())) {
                    throw new IllegalStateException("SupervisedTrainer: training diverged in epoch " + e
                            + " (mean loss " + stats.meanLoss() + "); lower the learning rate");
                }
                if (listener != null) {
                    listener.onEpoch(stats);
                }
            }
            if (bestParams != null) {
                model.restore(bestParams);
            }
        } catch (IOException e) {
            model.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            model.close();
            throw e;
        }
        return new Result(model, List.copyOf(history), selected);
    }

    /** Builder: {@code setTrainSet} and {@code setSampler} are required. */
    public static final class Builder {
        private ImageSet train;
        private ImageSet validation;
        private java.util.function.IntFunction<PrefetchQueue> trainBatches;
        private Sampler sampler;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private SgdSchedule schedule;
        private int depth = 20;
        private long seed;
        private Augmentation augmentation = AugmentationPipeline.fashionMnistTrain();
        private Augmentation evalAugmentation = AugmentationPipeline.fashionMnistEval();
        private int threads = 1;
        private boolean keepBest = true;
        private EpochListener listener;
        private Device device = Device.cpu();
        private TrainingDevices devices;

        /** The long-tailed train set. Required. */
        public Builder setTrainSet(ImageSet train) {
            this.train = train;
            return this;
        }

        /** The epoch order (instance, class, sqrt, progressive over the train set's labels). Required. */
        public Builder setSampler(Sampler sampler) {
            this.sampler = sampler;
            return this;
        }

        /** Balanced validation set for best-epoch selection; default none (the last epoch is kept). */
        public Builder optValidation(ImageSet validation) {
            this.validation = validation;
            return this;
        }

        /** Mini-batch size; default {@value #DEFAULT_BATCH_SIZE}. */
        public Builder optBatchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("SupervisedTrainer: batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Optimiser and schedule; default {@link #defaultSchedule(int)} of the batch size. */
        public Builder optSchedule(SgdSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** ResNet depth (CIFAR layout, 6n+2); default 20. */
        public Builder optDepth(int depth) {
            this.depth = depth;
            return this;
        }

        /** Seed of the initialisation and the augmentation; default 0 (the sampler carries its own seed). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Training augmentation; default {@link AugmentationPipeline#fashionMnistTrain()}. */
        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** Evaluation transform; default {@link AugmentationPipeline#fashionMnistEval()}. */
        public Builder optEvalAugmentation(Augmentation augmentation) {
            this.evalAugmentation = augmentation;
            return this;
        }

        /** Batch-assembly threads; default 1. */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Keep the epoch with the best validation top-1 (official); default true. Needs a validation set. */
        public Builder optKeepBestValidation(boolean keepBest) {
            this.keepBest = keepBest;
            return this;
        }

        /**
         * Training batches from another loader (e.g. one that streams and augments the images from their files),
         * epoch number to that epoch's batches; replaces the in-memory {@link BatchLoader} over the train set and
         * its augmentation, seed and threads. The train set still gives the image shape and class count.
         */
        public Builder optTrainBatches(java.util.function.IntFunction<PrefetchQueue> trainBatches) {
            this.trainBatches = trainBatches;
            return this;
        }

        public Builder optEpochListener(EpochListener listener) {
            this.listener = listener;
            return this;
        }

        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /** @param devices where to train, several = data-parallel (overrides {@link #optDevice}) */
        public Builder optDevices(TrainingDevices devices) {
            this.devices = devices;
            return this;
        }

        public SupervisedTrainer build() {
            if (train == null || sampler == null) {
                throw new IllegalArgumentException("SupervisedTrainer: setTrainSet(...) and setSampler(...) are "
                        + "required");
            }
            if (validation != null && validation.numClasses() != train.numClasses()) {
                throw new IllegalArgumentException("SupervisedTrainer: validation has " + validation.numClasses()
                        + " classes, train has " + train.numClasses());
            }
            return new SupervisedTrainer(this);
        }
    }
}
