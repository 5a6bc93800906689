package dev.vlltr.stagedata;

import dev.vlltr.core.data.AugmentationPipeline;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.dataset.DatasetResolver;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.DatasetSpecException;
import dev.vlltr.core.dataset.InMemorySplits;
import dev.vlltr.core.dataset.Problems;
import dev.vlltr.core.dataset.ResolvedDataset;
import dev.vlltr.core.dataset.SpecAugmentation;
import dev.vlltr.core.train.LongTailData;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageContext;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The dataset a stage reads images from: input {@code dataset} (a {@code dataset.yaml} on {@code file://} or
 * {@code s3://}), its files resolved and its splits loaded ({@link InMemorySplits}) in memory or lazily (parameter
 * {@code splits}, {@link #lazySplits}: lazily when decoded they would take more than a quarter of the heap), with the image geometry
 * (channels, size, mean/std, augmentation) the models and loaders take from it. Bad data is exit 2 naming the file,
 * line and field; it is raised before anything is trained or published.
 *
 * @param location where the spec and its images are
 * @param resolved the spec with its class and list files read
 * @param data     train (long-tailed), val and test images with the split record
 */
public record StageDataset(DatasetLocation location, ResolvedDataset resolved, LongTailData data) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StageDataset.class);

    /** The input's name, the same in every stage. */
    public static final String INPUT = "dataset";

    /** The parameter choosing where the splits' images are held. */
    public static final String SPLITS_PARAM = "splits";

    /** {@code splits=auto} holds image splits in memory when decoded they take at most this share of the max heap. */
    public static final double AUTO_HEAP_SHARE = 0.25;

    /** The {@code splits} parameter, the same in every stage that reads a dataset's images. */
    public static ParamSpec splitsParam() {
        return ParamSpec.choice(SPLITS_PARAM, "auto", "Where the dataset's train/val/test images are held: auto"
                + " (in memory when decoded at eval geometry they fit in a quarter of the JVM's max heap, -Xmx; else"
                + " lazy), memory (decoded once up front: images x channels x crop^2 bytes) or lazy (paths and labels"
                + " only; each image fetched and decoded when read, on a bounded worker pool, same values as memory)."
                + " IDX datasets are always in memory", "auto", "memory", "lazy");
    }

    /**
     * The {@code splits} rule: whether a dataset's image splits are read lazily.
     *
     * @param splits       the parameter: auto, memory or lazy
     * @param idx          whether the splits are IDX arrays (always in memory)
     * @param decodedBytes the image splits' size decoded at eval geometry ({@link InMemorySplits#decodedBytes})
     * @param maxHeap      the JVM's max heap ({@code Runtime.maxMemory()})
     * @throws BadInputException for {@code lazy} on IDX splits
     */
    public static boolean lazySplits(String splits, boolean idx, long decodedBytes, long maxHeap) {
        return switch (splits) {
            case "memory" -> false;
            case "lazy" -> {
                if (idx) {
                    throw new BadInputException("parameter " + SPLITS_PARAM + "=lazy: the dataset has IDX splits"
                            + " (one array per file, held in memory); use splits=memory or auto");
                }
                yield true;
            }
            case "auto" -> !idx && decodedBytes > (long) (AUTO_HEAP_SHARE * maxHeap);
            default -> throw new BadInputException("parameter " + SPLITS_PARAM + ": expected auto, memory or lazy, got '"
                    + splits + "'");
        };
    }

    /** @return the optional {@code dataset} input, digested with the files its spec names */
    public static InputSpec input(String description) {
        return InputSpec.optional(INPUT, description).digestedBy(DatasetDigest.RULE);
    }

    /**
     * Where the stage's images are: input {@code dataset} when given, else the backwards-compatible built-in name
     * ({@link BuiltInDatasets}) with the {@code data-dir} parameter.
     *
     * @param datasetParam the stage's {@code dataset} parameter (null for stages without one: {@code fashion-mnist})
     * @param dataDir      the stage's {@code data-dir} parameter
     * @throws BadInputException when the input is given with a {@code data-dir}, or with a {@code dataset} parameter
     *                           other than the default or the spec's own name
     */
    public static DatasetLocation locate(StageContext ctx, String datasetParam, String dataDir) throws IOException {
        String name = datasetParam == null ? BuiltInDatasets.FASHION_MNIST : datasetParam.strip();
        if (!ctx.hasInput(INPUT)) {
            return BuiltInDatasets.open(name, dataDir, ctx);
        }
        URI uri = ctx.input(INPUT).uri();
        DatasetLocation at;
        try {
            at = DatasetLocation.open(uri.toString(), ctx.store());
        } catch (DatasetSpecException e) {
            throw new BadInputException("input 'dataset': " + e.getMessage(), e);
        }
        // a pipeline may still pass the dataset's name as the parameter: fine when it names this spec
        boolean sameName = name.equalsIgnoreCase(BuiltInDatasets.FASHION_MNIST) || name.equals(at.spec().name());
        if (!sameName || (dataDir != null && !dataDir.isBlank())) {
            throw new BadInputException("give input 'dataset' or the parameters 'dataset'/'data-dir', not both"
                    + " (parameter dataset='" + name + "' is not the input's spec '" + at.spec().name() + "'; the"
                    + " spec's 'images' field says where its images are)");
        }
        return at;
    }

    /**
     * Loads the dataset, drawing the long-tailed split the spec describes.
     *
     * @param rewrite rewrites the spec before its split is drawn (a stage's parameters overriding its
     *                {@code longTail} block, {@link #withLongTail}); identity for none
     */
    public static StageDataset load(DatasetLocation at, UnaryOperator<DatasetSpec> rewrite) throws IOException {
        return load(at, "memory", rewrite, null, null);
    }

    /** As {@link #load(DatasetLocation, UnaryOperator)}, the splits held as the {@code splits} parameter says. */
    public static StageDataset load(DatasetLocation at, String splits, UnaryOperator<DatasetSpec> rewrite)
            throws IOException {
        return load(at, splits, rewrite, null, null);
    }

    /** @return {@code spec} with another {@code longTail} block and name (recorded in the split's index record) */
    public static DatasetSpec withLongTail(DatasetSpec spec, String name, DatasetSpec.LongTail longTail) {
        return new DatasetSpec(name, spec.description(), spec.classes(), spec.images(), spec.splits(),
                spec.geometry(), spec.texts(), longTail, spec.textCrawl());
    }

    /** Loads the dataset with the split an upstream stage recorded (verified against the spec's train labels). */
    public static StageDataset load(DatasetLocation at, LongTailSplit recorded, String splitSource)
            throws IOException {
        return load(at, "memory", UnaryOperator.identity(), recorded, splitSource);
    }

    /** As {@link #load(DatasetLocation, LongTailSplit, String)}, the splits held as {@code splits} says. */
    public static StageDataset load(DatasetLocation at, String splits, LongTailSplit recorded, String splitSource)
            throws IOException {
        return load(at, splits, UnaryOperator.identity(), recorded, splitSource);
    }

    private static StageDataset load(DatasetLocation at, String splits, UnaryOperator<DatasetSpec> rewrite,
            LongTailSplit recorded, String splitSource) throws IOException {
        String where = at.specUri().toString();
        try {
            DatasetSpec spec = recorded == null ? rewrite.apply(at.spec()) : at.spec();
            ResolvedDataset resolved = DatasetResolver.resolve(spec, where, at.specFolder(), at.images(),
                    Problems.failFast());
            long decoded = InMemorySplits.decodedBytes(resolved);
            long heap = Runtime.getRuntime().maxMemory();
            boolean lazy = lazySplits(splits, InMemorySplits.isIdx(resolved), decoded, heap);
            LOG.info("dataset {}: splits {} (splits={}; {} MiB decoded at eval geometry, max heap {} MiB)",
                    spec.name(), lazy ? "lazy, decoded when read" : "in memory", splits, decoded >> 20, heap >> 20);
            LongTailData data = InMemorySplits.load(resolved, at.images(), recorded, splitSource, lazy);
            return new StageDataset(new DatasetLocation(at.specUri(), spec, at.specFolder(), at.images(),
                    at.imagesUri()), resolved, data);
        } catch (DatasetSpecException e) {
            throw new BadInputException("dataset " + where + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) { // a recorded split that does not index this dataset
            throw new BadInputException("dataset " + where + ": " + e.getMessage(), e);
        }
    }

    public DatasetSpec spec() {
        return resolved.spec();
    }

    public List<String> classNames() {
        return resolved.classNames();
    }

    /** @return the images' channels (1 grey, 3 RGB) as the models take them */
    public int channels() {
        return data.train().channels();
    }

    public int height() {
        return data.train().height();
    }

    public int width() {
        return data.train().width();
    }

    public float[] mean() {
        return SpecAugmentation.mean(spec().geometry());
    }

    public float[] std() {
        return SpecAugmentation.std(spec().geometry());
    }

    /**
     * @param what names the model in the message, e.g. {@code input 'cvlp' (model-config.json)}
     * @throws BadInputException when the images do not have the shape the model was trained on
     */
    public void requireShape(int channels, int height, int width, String what) {
        if (channels != channels() || height != height() || width != width()) {
            throw new BadInputException("input 'dataset' (" + location.specUri() + "): images are " + channels() + "x"
                    + height() + "x" + width() + " but " + what + " was trained on " + channels + "x" + height + "x"
                    + width + "; give the dataset the model was trained on");
        }
    }

    /** @return the spec's training augmentation for in-memory images */
    public AugmentationPipeline trainAugmentation() {
        try {
            return SpecAugmentation.train(spec().geometry(), location.specUri().toString());
        } catch (DatasetSpecException e) {
            throw new BadInputException("input 'dataset': " + e.getMessage(), e);
        }
    }

    /** @return the evaluation transform for in-memory images (already resized and cropped): Normalize */
    public AugmentationPipeline evalAugmentation() {
        return SpecAugmentation.eval(spec().geometry());
    }
}
