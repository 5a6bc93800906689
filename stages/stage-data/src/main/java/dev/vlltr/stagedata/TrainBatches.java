package dev.vlltr.stagedata;

import dev.vlltr.core.calibrate.BatchIndexSource;
import dev.vlltr.core.data.BatchLoader;
import dev.vlltr.core.data.PrefetchQueue;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.ImageTransform;
import dev.vlltr.core.dataset.LabelledImages;
import dev.vlltr.core.dataset.LoaderPosition;
import dev.vlltr.core.dataset.SpecAugmentation;
import dev.vlltr.core.dataset.StreamingLoader;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.ParamSpec;

/**
 * The training batches of a stage, from one of two loaders (parameter {@code loader}):
 * <ul>
 * <li>{@code memory}: the split at evaluation geometry, augmented in memory ({@link BatchLoader}: random crop with
 * padding, flip, normalise) — the path every IDX / Fashion-MNIST run takes, unchanged; with lazy splits
 * ({@link StageDataset#lazySplits}) each image is decoded on the loader's threads when its batch is assembled;</li>
 * <li>{@code streaming}: every batch fetched from the dataset's files ({@code file://}, {@code s3://}), decoded and
 * transformed per epoch ({@link StreamingLoader}: random-resized crop, colour jitter, flip), so the spec's full
 * training geometry applies; deterministic per (seed, epoch, batch, image), hence resumable mid-epoch;</li>
 * <li>{@code auto} (default): streaming when the spec's {@code geometry.train} needs the encoded image
 * (random-resized crop or colour jitter), memory otherwise.</li>
 * </ul>
 */
public final class TrainBatches implements AutoCloseable {

    public static final String PARAM = "loader";

    /** The {@code loader} parameter, the same in every stage that trains on a dataset's images. */
    public static ParamSpec param() {
        return ParamSpec.choice(PARAM, "auto", "Training image loader: auto (streaming when the dataset's"
                + " geometry.train asks for randomResizedCrop or colorJitter, else memory), memory (the images at eval"
                + " geometry, held or decoded when read as parameter splits says, in-memory crop/flip; IDX datasets)"
                + " or streaming (images fetched, decoded and augmented per epoch from the dataset's files by a"
                + " bounded worker pool; resumable mid-epoch)",
                "auto", "memory", "streaming");
    }

    public static final String CHECKPOINT_PARAM = "checkpoint-every-batches";

    /** The {@code checkpoint-every-batches} parameter: mid-epoch checkpoints (streaming loader only). */
    public static ParamSpec checkpointParam() {
        return checkpointParam("");
    }

    /**
     * @param rule what else the stage needs for mid-epoch checkpoints, appended to the help (empty: nothing)
     * @return the {@code checkpoint-every-batches} parameter
     */
    public static ParamSpec checkpointParam(String rule) {
        return ParamSpec.integer(CHECKPOINT_PARAM, 0, "Also checkpoint every N training batches within an epoch, so"
                + " that an interrupted (even killed) run resumes from that batch and ends as an uninterrupted one"
                + " (0 = at epoch ends only; needs the streaming loader" + rule + ")").min(0);
    }

    private final BatchLoader memory;
    private final StreamingLoader streaming;

    private TrainBatches(BatchLoader memory, StreamingLoader streaming) {
        this.memory = memory;
        this.streaming = streaming;
    }

    /**
     * @param dataset the loaded dataset (its train split defines the batch indices of both loaders)
     * @param loader  the {@code loader} parameter
     * @param checkpointEveryBatches the {@code checkpoint-every-batches} parameter (> 0 needs streaming)
     * @param batches the batch order over {@code dataset.data().train()}
     * @param seed    augmentation seed
     * @param threads loader threads (streaming: fetch/decode workers)
     * @throws BadInputException when {@code memory} is asked for a geometry it cannot apply, or {@code streaming} for
     *                           an IDX dataset (no image files)
     */
    public static TrainBatches open(StageDataset dataset, String loader, int checkpointEveryBatches,
            BatchIndexSource batches, long seed, int threads) {
        DatasetSpec.Geometry g = dataset.spec().geometry();
        boolean idx = DatasetSpec.Split.IDX.equals(dataset.spec().splits().train().format());
        boolean stream = streams(dataset.spec(), loader);
        if (!stream && checkpointEveryBatches > 0) {
            throw new BadInputException("parameter " + CHECKPOINT_PARAM + "=" + checkpointEveryBatches + " needs the"
                    + " streaming loader (mid-epoch resume); this run uses the in-memory loader (loader=" + loader
                    + "); give loader=streaming or " + CHECKPOINT_PARAM + "=0");
        }
        if (!stream) {
            return new TrainBatches(BatchLoader.builder().setDataset(dataset.data().train()).setBatches(batches)
                    .optAugmentation(dataset.trainAugmentation()).optSeed(seed).optThreads(threads).build(), null);
        }
        if (idx) {
            throw new BadInputException("parameter loader=streaming: dataset " + dataset.location().specUri()
                    + " has IDX splits (held in memory, no image files to stream); use loader=memory or auto");
        }
        ImageTransform transform = ImageTransform.train(g);
        if (transform.size() != dataset.height() || transform.size() != dataset.width()
                || transform.channels() != dataset.channels()) {
            throw new BadInputException("input 'dataset' (" + dataset.location().specUri() + "): field"
                    + " 'geometry.train' crops to " + transform.channels() + "x" + transform.size() + "x"
                    + transform.size() + " but the evaluation geometry is " + dataset.channels() + "x"
                    + dataset.height() + "x" + dataset.width() + "; the model takes one image size, give both the"
                    + " same size");
        }
        // the in-memory train set is the long-tailed subset of the source train split in the split's order
        LabelledImages source = dataset.resolved().sourceTrain();
        LabelledImages train = source.subset(dataset.data().split().trainIndices(), source.source()
                + " (long-tailed subset)");
        return new TrainBatches(null, StreamingLoader.builder().setImages(train).setFiles(dataset.location().images())
                .setTransform(transform).setBatches(batches).optSeed(seed).optWorkers(threads)
                .optPrefetch(Math.max(2, threads)).build());
    }

    /** @return whether the {@code loader} parameter streams for {@code spec} (before any image is loaded) */
    public static boolean streams(DatasetSpec spec, String loader) {
        return switch (loader) {
            case "streaming" -> true;
            case "memory" -> false;
            default -> !SpecAugmentation.inMemoryTrainable(spec.geometry());
        };
    }

    /** @return whether batches are streamed from the files (else from memory) */
    public boolean streaming() {
        return streaming != null;
    }

    /** @return the batches of {@code epoch} from its start */
    public PrefetchQueue epoch(int epoch) {
        return epoch(new LoaderPosition(epoch, 0));
    }

    /**
     * @return the batches of the epoch from {@code position.batch()}; the in-memory loader only starts epochs at
     *         their first batch
     */
    public PrefetchQueue epoch(LoaderPosition position) {
        if (streaming != null) {
            return streaming.epoch(position);
        }
        if (position.batch() != 0) {
            throw new IllegalStateException("the in-memory loader resumes only at epoch boundaries (batch "
                    + position.batch() + " of epoch " + position.epoch() + ")");
        }
        return memory.epoch(position.epoch());
    }

    @Override
    public void close() {
        if (memory != null) {
            memory.close();
        }
        if (streaming != null) {
            streaming.close();
        }
    }
}
