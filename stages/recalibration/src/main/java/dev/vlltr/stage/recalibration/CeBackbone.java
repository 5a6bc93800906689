package dev.vlltr.stage.recalibration;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.calibrate.LabeledFeatures;
import dev.vlltr.core.calibrate.SgdSchedule;
import dev.vlltr.core.calibrate.SplitRole;
import dev.vlltr.core.data.AugmentationPipeline;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.data.ImageSet;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.data.Sampler;
import dev.vlltr.core.data.Samplers;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.SpecAugmentation;
import dev.vlltr.core.train.LongTailData;
import dev.vlltr.core.train.SupervisedModel;
import dev.vlltr.core.train.SupervisedTrainer;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.CodeVersion;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.store.ArtifactUris;
import dev.vlltr.stagedata.DatasetLocation;
import dev.vlltr.stagedata.StageDataset;
import dev.vlltr.stagedata.TrainBatches;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain cross-entropy backbone ({@code backbone=ce}): a ResNet trained end to end with softmax CE on the
 * long-tailed split of the dataset (input {@code dataset}, or the built-in Fashion-MNIST) ({@link SupervisedTrainer}, Decoupling's stage 1), its frozen features (train
 * without augmentation, val, test; BatchNorm with its running statistics) and its head as the upstream classifier.
 * Trained once per settings and cached ({@link CeCache}); with {@code bn-policy=reestimate}, cRT and LWS re-estimate
 * the BatchNorm statistics with as many class-aware epochs as they train (forward passes in training mode, as the
 * official code's {@code model.train()} does at every step) and re-extract the features. Training and re-estimation
 * batches come from the loader parameter {@code loader} picks ({@link TrainBatches}: in memory, or streamed from the
 * files with the spec's training geometry); the splits are held as parameter {@code splits} says (in memory or lazy).
 */
public final class CeBackbone {

    private static final Logger LOG = LoggerFactory.getLogger(CeBackbone.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String PARAMS_FILE = "ce-backbone.params";
    public static final String TRAINING_FILE = "ce-training.json";
    static final List<String> SPLITS = List.of("train", "val", "test");

    /** The features, the saved network and what was done to get them. */
    public record Result(FeatureSplits splits, Path params, ObjectNode record, boolean cacheHit) {}

    /** The long-tailed data (loaded on first use). */
    private record Data(ImageSet train, ImageSet val, ImageSet test, LongTailSplit split,
            StageDataset images) {}

    private final StageContext ctx;
    private final RecalibrationSettings s;
    private Data data;
    private DatasetLocation location;

    public CeBackbone(StageContext ctx, RecalibrationSettings settings) {
        this.ctx = ctx;
        this.s = settings;
    }

    /** The dataset: input {@code dataset}, else the built-in spec named by parameter {@code dataset}. */
    private DatasetLocation location() throws IOException {
        if (location == null) {
            location = StageDataset.locate(ctx, s.dataset(), s.dataDir());
        }
        return location;
    }

    private boolean builtIn() {
        return !ctx.hasInput(StageDataset.INPUT);
    }

    /**
     * The long tail the CE network trains on: input {@code dataset}: the spec's {@code longTail} block (null for a spec
     * whose train list is used as it is); without it, as before the dataset input: {@code max-per-class},
     * {@code imbalance-factor}, {@code val-per-class} and {@code seed}, natural class order.
     */
    private DatasetSpec.LongTail longTail() throws IOException {
        if (!builtIn()) {
            return location().spec().longTail();
        }
        return new DatasetSpec.LongTail(s.maxPerClass(), s.imbalanceFactor(), "natural", s.seed(), s.valPerClass());
    }

    /** One image's shape {@code (C, H, W)}: the spec's channels and evaluation crop. */
    private Shape imageShape() throws IOException {
        DatasetSpec.Geometry g = location().spec().geometry();
        return new Shape(g.channels(), g.eval().centerCrop(), g.eval().centerCrop());
    }

    /** The settings that determine the trained network: the cache key. */
    ObjectNode trainingSettings() throws IOException {
        SgdSchedule sch = s.ceSchedule();
        ObjectNode o = JSON.createObjectNode();
        DatasetSpec.LongTail lt = longTail();
        // the built-in Fashion-MNIST keeps the keys it had before the dataset input, so its cache entries stay valid
        o.put("dataset", builtIn() ? "fashion-mnist" : location().spec().name());
        if (!builtIn()) {
            o.put("datasetSha256", ctx.input(StageDataset.INPUT).sha256());
        }
        if (lt != null) {
            o.put("maxPerClass", lt.maxPerClass());
            o.put("imbalanceFactor", lt.imbalanceFactor().doubleValue());
            o.put("valPerClass", lt.valPerClassOrDefault());
        } else {
            o.put("longTail", "as listed");
        }
        if (s.testPerClass() > 0) {
            o.put("testPerClass", s.testPerClass()); // only when set, so default keys stay stable
        }
        o.put("seed", lt != null && !builtIn() ? lt.seedOrDefault() : s.seed());
        o.put("sampler", s.samplerName());
        o.put("depth", s.ceDepth());
        o.put("epochs", sch.epochs());
        o.put("batchSize", s.ceBatchSize());
        o.put("lr", sch.learningRate());
        o.put("momentum", sch.momentum());
        o.put("weightDecay", sch.weightDecay());
        o.put("schedule", "cosine to 0, stepped " + sch.stepOrder());
        if (streams()) { // only then, so the keys of in-memory runs stay as they were
            o.put("loader", "streaming");
            o.put("augmentation", location().spec().geometry().train().toString());
        } else {
            o.put("augmentation", builtIn() ? "RandomCrop(2) + HorizontalFlip(0.5) + Normalize(0.2860, 0.3530)"
                    : SpecAugmentation.train(location().spec().geometry(), location().specUri().toString())
                            .toString());
        }
        o.put("codeVersion", CodeVersion.get());
        return o;
    }

    /** @return whether the CE network trains on batches streamed from the files (parameter {@code loader}) */
    private boolean streams() throws IOException {
        return TrainBatches.streams(location().spec(), s.loader());
    }

    /**
     * @param reestimateBn whether to re-estimate BatchNorm statistics before extracting features
     * @param bnBatchSize  batch size of the class-aware re-estimation passes (the method's batch size)
     * @param bnEpochs     class-aware epochs of re-estimation: the method's training epochs, since the official
     *                     code updates the statistics at every training step of cRT/LWS
     */
    public Result obtain(boolean reestimateBn, int bnBatchSize, int bnEpochs) throws IOException {
        ObjectNode settings = trainingSettings();
        String key = CeCache.key(settings);
        Optional<CeCache> cache = cache();
        Path dir = Files.createDirectories(ctx.scratch().resolve("ce-backbone"));
        List<String> files = List.of(PARAMS_FILE, TRAINING_FILE, "features-train.vlft", "features-val.vlft",
                "features-test.vlft");
        Optional<Map<String, Path>> hit = cache.flatMap(c -> c.lookup(key, files, dir));
        Map<String, Path> entry;
        if (hit.isPresent()) {
            LOG.info("CE backbone: cache hit {} ({})", key, CeCache.describe(settings));
            entry = hit.get();
        } else {
            LOG.info("CE backbone: training ({})", CeCache.describe(settings));
            entry = train(settings, dir);
            cache.ifPresent(c -> c.store(key, settings, entry));
        }
        ObjectNode record = (ObjectNode) JSON.readTree(entry.get(TRAINING_FILE).toFile());
        record.put("cacheKey", key);
        record.put("cacheHit", hit.isPresent());
        FeatureSplits splits;
        if (reestimateBn) {
            splits = reestimated(entry.get(PARAMS_FILE), bnBatchSize, bnEpochs, record);
        } else {
            splits = fromTables(entry);
            record.put("bnPolicy", "frozen");
        }
        return new Result(splits, entry.get(PARAMS_FILE), record, hit.isPresent());
    }

    /** The cache folder, or empty when caching is off. */
    Optional<CeCache> cache() {
        String spec = s.ceCache();
        if (spec.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        URI folder;
        if (spec.isEmpty()) {
            String env = System.getenv("VLLTR_WORK_DIR");
            Path work = env != null && !env.isBlank() ? Path.of(env)
                    : Path.of(System.getProperty("java.io.tmpdir"), "vlltr");
            folder = work.resolve("ce-cache").toAbsolutePath().toUri();
        } else {
            folder = ArtifactUris.parse(spec, "parameter 'ce-cache'");
        }
        return Optional.of(new CeCache(ctx.store(), folder));
    }

    private Data data() throws IOException {
        if (data == null) {
            DatasetSpec.LongTail lt = longTail();
            StageDataset ds = StageDataset.load(location(), s.splits(),
                    spec -> lt == null ? spec : StageDataset.withLongTail(spec, spec.name(), lt));
            LongTailData d = ds.data();
            data = new Data(d.train(), d.val(), firstPerClass(d.test(), s.testPerClass()), d.split(), ds);
        }
        return data;
    }

    /** The first {@code k} images of each class, in the set's order ({@code k = 0}: all). */
    static ImageSet firstPerClass(ImageSet set, int k) {
        if (k == 0) {
            return set;
        }
        int[] taken = new int[set.numClasses()];
        int[] keep = java.util.stream.IntStream.range(0, set.size())
                .filter(i -> taken[set.label(i)]++ < k).toArray();
        return set.subset(keep, set.name() + "/first-" + k + "-per-class");
    }

    private Map<String, Path> train(ObjectNode settings, Path dir) throws IOException {
        Data d = data();
        Sampler sampler = Samplers.builder().setName(s.samplerName()).setLabels(d.train().labels(),
                d.train().numClasses()).optSeed(s.seed()).optTotalEpochs(s.ceEpochs()).build();
        String noStep = Batches.noFullBatch(sampler.epochLength(), d.train().size(), s.ceBatchSize());
        if (noStep != null) { // nothing to train: fail clearly instead of a NaN loss
            throw new BadInputException("parameter 'ce-batch-size': " + noStep);
        }
        SgdSchedule sch = s.ceSchedule();
        ObjectNode record = JSON.createObjectNode();
        record.set("settings", settings.deepCopy());
        ArrayNode epochs = record.putArray("epochs");
        long start = System.nanoTime();
        Map<String, Path> out = new LinkedHashMap<>();
        // loader=streaming (or auto for a random-resized-crop spec): batches fetched, decoded and augmented from
        // the files with the spec's training geometry; else the in-memory loader as before
        try (TrainBatches streamed = streams() ? TrainBatches.open(d.images(), s.loader(), 0,
                Batches.of(sampler, s.ceBatchSize()), s.seed(), s.loaderThreads()) : null;
                SupervisedTrainer.Result r = SupervisedTrainer.builder().setTrainSet(d.train()).setSampler(sampler)
                .optValidation(d.val()).optBatchSize(s.ceBatchSize()).optSchedule(sch).optDepth(s.ceDepth())
                .optSeed(s.seed()).optKeepBestValidation(s.selectBestEpoch()).optDevices(s.devices())
                .optThreads(s.loaderThreads()).optTrainBatches(streamed == null ? null : streamed::epoch)
                .optAugmentation(streamed != null ? null : d.images().trainAugmentation())
                .optEvalAugmentation(d.images().evalAugmentation())
                .optEpochListener(e -> {
                    LOG.info("CE epoch {}/{}: lr {} loss {} train top-1 {} val top-1 {} ({} s)", e.epoch() + 1,
                            sch.epochs(), fmt(e.learningRate()), fmt(e.meanLoss()), fmt(e.trainTop1()),
                            fmt(e.valTop1()), fmt(e.seconds()));
                    ctx.metric("ce/loss", e.meanLoss(), e.epoch());
                    ctx.metric("ce/train_top1", e.trainTop1(), e.epoch());
                    ctx.metric("ce/val_top1", e.valTop1(), e.epoch());
                    ctx.metric("ce/lr", e.learningRate(), e.epoch());
                    ObjectNode ep = epochs.addObject();
                    ep.put("epoch", e.epoch());
                    ep.put("lr", e.learningRate());
                    ep.put("loss", e.meanLoss());
                    ep.put("trainTop1", e.trainTop1());
                    ep.put("valTop1", e.valTop1());
                    ep.put("seconds", e.seconds());
                }).build().train()) {
            record.put("selectedEpoch", r.selectedEpoch());
            Path params = dir.resolve(PARAMS_FILE);
            try (OutputStream o = Files.newOutputStream(params)) {
                r.model().save(o);
            }
            out.put(PARAMS_FILE, params);
            writeTables(r.model(), d, dir, out);
        }
        record.put("trainSeconds", (System.nanoTime() - start) / 1e9);
        record.set("trainCounts", JSON.valueToTree(d.split().trainCounts()));
        Path training = dir.resolve(TRAINING_FILE);
        JSON.writerWithDefaultPrettyPrinter().writeValue(training.toFile(), record);
        out.put(TRAINING_FILE, training);
        return out;
    }

    /** Extracts features and logits of the three splits into FeatureTables ({@code features}, {@code logits}). */
    private void writeTables(SupervisedModel model, Data d, Path dir, Map<String, Path> out) throws IOException {
        ImageSet[] sets = {d.train(), d.val(), d.test()};
        for (int i = 0; i < 3; i++) {
            SupervisedModel.Extraction ex = model.extract(sets[i], d.images().evalAugmentation(), 256);
            Map<String, float[][]> arrays = new LinkedHashMap<>();
            arrays.put("features", ex.features());
            arrays.put("logits", ex.logits());
            String name = "features-" + SPLITS.get(i) + ".vlft";
            Path file = dir.resolve(name);
            FeatureTables.write(file, new FeatureTable(SPLITS.get(i), sets[i].classNames(), ex.labels(), arrays));
            out.put(name, file);
        }
    }

    private FeatureSplits fromTables(Map<String, Path> entry) throws IOException {
        FeatureTable[] t = new FeatureTable[3];
        for (int i = 0; i < 3; i++) {
            String name = "features-" + SPLITS.get(i) + ".vlft";
            t[i] = FeatureTables.read(entry.get(name), "CE backbone " + name);
        }
        try (InputStream in = Files.newInputStream(entry.get(PARAMS_FILE));
                SupervisedModel m = SupervisedModel.load(in, t[0].numClasses(), s.ceDepth(), imageShape(),
                        Device.cpu())) {
            return splits(t[0].classNames(), t[0].array("features"), t[0].labels(), t[1].array("features"),
                    t[1].labels(), t[2].array("features"), t[2].labels(), m);
        }
    }

    private FeatureSplits reestimated(Path params, int batchSize, int epochs, ObjectNode record) throws IOException {
        Data d = data();
        try (InputStream in = Files.newInputStream(params);
                SupervisedModel m = SupervisedModel.load(in, d.train().numClasses(), s.ceDepth(), imageShape(),
                        Device.cpu())) {
            Sampler classAware = Samplers.builder().setName("class").setLabels(d.train().labels(),
                    d.train().numClasses()).optSamplesPerClass(s.samplesPerClass()).optSeed(s.seed()).build();
            long start = System.nanoTime();
            int batches;
            if (streams()) { // the class-aware batches streamed with the geometry the network was trained with
                try (TrainBatches streamed = TrainBatches.open(d.images(), s.loader(), 0,
                        Batches.of(classAware, batchSize), s.seed(), s.loaderThreads())) {
                    batches = m.reestimateBatchNorm(streamed::epoch, epochs);
                }
            } else {
                batches = m.reestimateBatchNorm(d.train(), Batches.of(classAware, batchSize),
                        d.images().trainAugmentation(), epochs, s.seed());
            }
            LOG.info("BatchNorm statistics re-estimated on {} class-aware batches of {} ({} s)", batches, batchSize,
                    fmt((System.nanoTime() - start) / 1e9));
            record.put("bnPolicy", "reestimate");
            record.put("bnReestimateBatches", batches);
            record.put("bnReestimateBatchSize", batchSize);
            record.put("bnReestimateEpochs", epochs);
            AugmentationPipeline eval = d.images().evalAugmentation();
            SupervisedModel.Extraction tr = m.extract(d.train(), eval, 256);
            SupervisedModel.Extraction va = m.extract(d.val(), eval, 256);
            SupervisedModel.Extraction te = m.extract(d.test(), eval, 256);
            return splits(d.train().classNames(), tr.features(), tr.labels(), va.features(), va.labels(),
                    te.features(), te.labels(), m);
        }
    }

    private static FeatureSplits splits(List<String> names, float[][] tr, int[] trL, float[][] va, int[] vaL,
            float[][] te, int[] teL, SupervisedModel m) {
        int c = names.size();
        LabeledFeatures train = new LabeledFeatures(tr, trL, c, SplitRole.TRAIN);
        return new FeatureSplits("ce/features", names, train, new LabeledFeatures(va, vaL, c, SplitRole.VALIDATION),
                new LabeledFeatures(te, teL, c, SplitRole.TEST), train.classCounts(), m.classifier(),
                "CE network head (ResNet-" + m.depth() + " + Linear, trained end to end)");
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
