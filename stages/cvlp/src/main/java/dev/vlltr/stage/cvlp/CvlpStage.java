package dev.vlltr.stage.cvlp;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.DataWait;
import dev.vlltr.core.data.PrefetchQueue;
import dev.vlltr.core.data.Samplers;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.LoaderPosition;
import dev.vlltr.core.model.CachingSentenceEncoder;
import dev.vlltr.core.model.ClipImageTower;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.model.LogitScale;
import dev.vlltr.core.model.MiniLmSentenceEncoder;
import dev.vlltr.core.model.Teacher;
import dev.vlltr.core.model.WordVocabulary;
import dev.vlltr.core.text.ClassCorpusEntry;
import dev.vlltr.core.text.CorpusJsonl;
import dev.vlltr.core.train.ClassSentences;
import dev.vlltr.core.train.CosineWarmupSchedule;
import dev.vlltr.core.train.CvlpTrainer;
import dev.vlltr.core.train.EmbeddingEvaluation;
import dev.vlltr.core.train.ImageEmbedder;
import dev.vlltr.core.train.LongTailData;
import dev.vlltr.core.train.SentenceTable;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.clip.ClipBundle;
import ai.djl.ndarray.NDManager;
import dev.vlltr.runtime.train.EpochRunner;
import dev.vlltr.runtime.train.ModelState;
import dev.vlltr.stagedata.BuiltInDatasets;
import dev.vlltr.stagedata.StageDataset;
import dev.vlltr.stagedata.MidEpochCheckpoints;
import dev.vlltr.stagedata.TrainBatches;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One execution of the cvlp stage: corpus and long-tailed images, the text tower's inputs, the optional teacher, then
 * training with the runtime's {@link EpochRunner} (checkpoints, resume, per-epoch metrics) and the declared outputs.
 */
final class CvlpStage {

    private static final Logger LOG = LoggerFactory.getLogger(CvlpStage.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String CORPUS_SPLIT = "corpus";

    private final StageContext ctx;
    private final CvlpSettings s;
    private final CvlpTeachers teachers;
    /** The dataset's image geometry (set when it is loaded). */
    private StageDataset geometry;

    CvlpStage(StageContext ctx, CvlpSettings settings) {
        this.ctx = ctx;
        this.s = settings;
        this.teachers = new CvlpTeachers(ctx, settings.devices().primary());
    }

    void run() throws Exception {
        // bundles first: a bad one fails before data loading and sentence encoding (a cvlp-run teacher needs the
        // corpus' text inputs, so it is loaded in train)
        try (NDManager bundleArrays = NDManager.newBaseManager(s.devices().primary());
                ClipBundle clip = CvlpClipBundle.load(ctx, s, bundleArrays);
                Teacher torchScript = teachers.torchScriptTeacher()) {
            train(torchScript, clip);
        }
    }

    private void train(Teacher torchScriptTeacher, ClipBundle clip) throws Exception {
        // ---- corpus and images
        Path corpusFile = ctx.fetchUpstreamOutput("corpus", "corpus");
        String corpusSha = ctx.inputManifest("corpus").output("corpus").sha256();
        List<ClassCorpusEntry> corpus;
        try (InputStream in = Files.newInputStream(corpusFile)) {
            corpus = CorpusJsonl.readAll(in, "input 'corpus' (corpus.jsonl)");
        }
        StageDataset dataset = StageDataset.load(StageDataset.locate(ctx, s.dataset(), s.dataDir()), s.splits(),
                this::longTail);
        LongTailData data = dataset.data();
        this.geometry = dataset;
        List<String> classNames = data.train().classNames();
        s.checkPresetClasses(classNames.size());
        SentenceTable table;
        try {
            table = SentenceTable.of(corpus, classNames);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("input 'corpus' (corpus.jsonl): " + e.getMessage());
        }
        ctx.headline("sentences", table.texts().size());
        ctx.headline("train_images", data.train().size());
        String noStep = Batches.noFullBatch(sampler(data).epochLength(), data.train().size(), s.batchSize());
        if (noStep != null) { // before any model is built: nothing to train, not a NaN loss
            throw new BadInputException("parameter 'batch-size': " + noStep);
        }

        // ---- text tower inputs: frozen MiniLM vectors, token ids of a vocabulary built from this corpus, or CLIP's
        CvlpModelConfig initial = config(classNames, corpusSha, Double.NaN, Double.NaN, scratchText(table), clip);
        float[][] clipIds = clip == null ? null : CvlpClipBundle.tokenIds(clip, table.texts());
        float[][] embeddings = s.clipText() ? clipIds : textInputs(initial, table);

        // ---- model, teacher, trainer
        Engine.getInstance().setRandomSeed((int) s.seed());
        CvlpModel model = initial.newModel();
        if (model.getVision() instanceof ClipImageTower t) {
            t.getVisual().setBatchNormTrainMode(s.clipBatchNormTrain());
        }
        Teacher teacher = torchScriptTeacher != null ? torchScriptTeacher
                : clip != null ? CvlpClipBundle.teacher(clip, initial, table.texts(), clipIds, initial.imageShape(),
                        bundleSource())
                : teachers.cvlpTeacher(table.texts(), embeddings, s.scratchText());
        if (teacher == null) {
            LOG.info("no teacher: lambda = 0, the loss is L_ccl alone (parameter lambda={} is not used)", s.lambda());
        }
        CosineWarmupSchedule schedule = new CosineWarmupSchedule(s.lr(), s.epochs(), s.warmupEpochs(), s.warmupLr(),
                s.minLr());
        try (CvlpTrainer trainer = CvlpTrainer.builder().setModel(model).setImageShape(initial.imageShape())
                .setTextInputs(embeddings, initial.tokenIds())
                .setSentences(new ClassSentences(table.labels(), classNames.size())).setSchedule(schedule)
                .optWeightDecay(s.weightDecay()).optTeacher(teacher, s.lambda()).optSentenceTexts(table.texts())
                .optSeed(s.seed()).optTrainText(s.trainText()).optDevices(s.devices()).build();
                TrainBatches loader = TrainBatches.open(dataset, s.loader(), s.checkpointEveryBatches(),
                        Batches.of(sampler(data), s.batchSize()), s.seed(), s.loaderThreads())) {
            if (loader.streaming()) { // evaluation stays in memory at the eval geometry
                LOG.info("loader: streaming the train images from {} ({} workers)", dataset.location().imagesUri(),
                        s.loaderThreads());
                ctx.headline("streaming_workers", s.loaderThreads());
            }
            ctx.headline("lambda_effective", trainer.effectiveLambda());
            if (clip != null) { // CLIP's weights into the initialised towers (a resumed run then loads its checkpoint)
                CvlpClipBundle.initialise(model, clip);
            }
            // checkpoints hold the trainer's state as its stored parts
            List<Map<String, Double>> history = EpochRunner.forStage(ctx, s.epochs(), ModelState.Resumable.of(
                    () -> trainer.exportState(ModelState::new),
                    m -> trainer.importState(m.parameters(), m.optimizerMoments(), m.optimizerSteps())))
                    .run((epoch, progress, midEpoch) -> {
                        CvlpTrainer.EpochStats st;
                        DataWait wait;
                        // a mid-epoch checkpoint: the loader's next batch and the epoch's running loss sums
                        MidEpochCheckpoints mid = new MidEpochCheckpoints(midEpoch, epoch, s.checkpointEveryBatches());
                        LoaderPosition from = mid.from();
                        try (PrefetchQueue batches = loader.epoch(from)) {
                            wait = new DataWait(batches);
                            st = trainer.trainEpoch(epoch, progress.track(wait, batches.size() - from.batch()),
                                    mid.sums(), mid.afterBatch(batches.size()));
                        }
                        Map<String, Double> m = epochMetrics(st, trainer, data, table, teacher != null);
                        // share of the epoch's training time spent waiting for batches (goal < 5 %)
                        m.put("data_wait_share", st.seconds() > 0 ? Math.min(1, wait.waitSeconds() / st.seconds())
                                : 0.0);
                        return m;
                    });
            new CvlpOutputs(ctx, classNames, table).write(trainer,
                    config(classNames, corpusSha, model.getLogitScale().getThetaParameter().getArray().getFloat(0),
                            model.getLogitScale().currentScale(), initial.scratchText(), clip),
                    embeddings, data.split(), history, s.evalBatchSize());
        } finally {
            if (teacher != null && teacher != torchScriptTeacher) { // run() closes the TorchScript one
                teacher.close();
            }
        }
    }

    /**
     * The long tail to draw. Input {@code dataset}: the spec's {@code longTail} block as it is. The
     * backwards-compatible built-in names: seeded by {@code seed}, and {@code fashion-mnist} with {@code imbalance-factor} (recorded as
     * {@code fmnist-lt-if<IF>}), exactly as the benchmark enum drew them.
     */
    private DatasetSpec longTail(DatasetSpec spec) {
        DatasetSpec.LongTail lt = spec.longTail();
        if (ctx.hasInput(StageDataset.INPUT)) {
            if (lt != null && s.imbalanceFactor() != lt.imbalanceFactor()) {
                LOG.info("input 'dataset': its longTail block decides the split (imbalance factor {}); parameter"
                        + " imbalance-factor={} is not used", lt.imbalanceFactor(), s.imbalanceFactor());
            }
            return spec;
        }
        boolean fashionMnist = s.dataset().strip().equalsIgnoreCase(BuiltInDatasets.FASHION_MNIST);
        double factor = fashionMnist ? s.imbalanceFactor() : lt.imbalanceFactor();
        if (!fashionMnist && s.imbalanceFactor() != lt.imbalanceFactor()) {
            LOG.info("dataset {} is a named benchmark: its own imbalance factor {} applies (parameter"
                    + " imbalance-factor={} is ignored)", s.dataset(), lt.imbalanceFactor(), s.imbalanceFactor());
        }
        String name = fashionMnist ? "fmnist-lt-if" + stripZeros(factor) : spec.name();
        return StageDataset.withLongTail(spec, name, new DatasetSpec.LongTail(lt.maxPerClass(), factor,
                lt.classOrder(), s.seed(), lt.valPerClass()));
    }

    private static String stripZeros(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private dev.vlltr.core.data.Sampler sampler(LongTailData data) {
        Samplers.Builder sb = Samplers.builder().setName(s.sampler()).setLabels(data.train().labels(),
                data.train().classNames().size()).optSeed(s.seed());
        if (s.epochLength() > 0) {
            sb.optEpochLength(s.epochLength());
        }
        return sb.build();
    }

    /** The scratch tower's architecture and vocabulary (frequency order, ties lexicographic), null for minilm. */
    private CvlpModelConfig.ScratchText scratchText(SentenceTable table) {
        if (!s.scratchText()) {
            return null;
        }
        WordVocabulary vocabulary = WordVocabulary.build(table.texts(), s.textVocabSize(), 1);
        ctx.headline("text_vocabulary_size", vocabulary.size());
        LOG.info("scratch text encoder: vocabulary of {} ids from {} sentences", vocabulary.size(),
                table.texts().size());
        return new CvlpModelConfig.ScratchText(s.textWidth(), s.textLayers(), s.textHeads(), s.textMaxLength(),
                vocabulary.tokens());
    }

    private float[][] textInputs(CvlpModelConfig config, SentenceTable table) {
        if (s.scratchText()) {
            return config.textInputs(table.texts());
        }
        long t0 = System.nanoTime();
        // each distinct sentence encoded once
        CachingSentenceEncoder encoder = new CachingSentenceEncoder(new MiniLmSentenceEncoder());
        float[][] embeddings = encoder.encode(table.texts());
        LOG.info("MiniLM: {} sentences ({} distinct) encoded in {} s", table.texts().size(), encoder.computedCount(),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return embeddings;
    }

    /** One epoch's row of history.json: schedule, losses, speed, then zero-shot and retrieval accuracy on val. */
    private Map<String, Double> epochMetrics(CvlpTrainer.EpochStats st, CvlpTrainer trainer, LongTailData data,
            SentenceTable table, boolean teacher) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("lr", st.lr());
        m.put("loss", st.loss());
        m.put("l_ccl", st.ccl());
        if (teacher) {
            m.put("l_dis", st.dis());
        }
        m.put("logit_scale", st.logitScale());
        m.put("images_per_s", st.imagesPerSecond());
        m.put("epoch_seconds", st.seconds());
        float[][] valFeatures = ImageEmbedder.embed(trainer.getModel().getVision(), trainer.getManager(), data.val(),
                IntStream.range(0, data.val().size()).toArray(), geometry.evalAugmentation(),
                s.evalBatchSize());
        float[][] textFeatures = trainer.encodeAllText(s.evalBatchSize());
        int classes = data.train().classNames().size();
        double[][] protos = EmbeddingEvaluation.classPrototypes(textFeatures, table.labels(), classes);
        m.put("val_zero_shot_acc", EmbeddingEvaluation.zeroShotAccuracy(valFeatures, data.val().labels(), protos));
        EmbeddingEvaluation.Retrieval r = EmbeddingEvaluation.retrieval(valFeatures, data.val().labels(),
                textFeatures, table.labels());
        m.put("val_i2t_top1", r.imageToText());
        m.put("val_t2i_top1", r.textToImage());
        return m;
    }

    private CvlpModelConfig config(List<String> classNames, String corpusSha, double theta, double scale,
            CvlpModelConfig.ScratchText scratchText, ClipBundle clip) {
        boolean scratch = scratchText != null;
        CvlpModelConfig.ClipTowers towers = clip == null || !s.clipTowers() ? null
                : CvlpClipBundle.towers(clip, s.imageSize(), bundleSource());
        // CLIP towers: the bundle's joint space, and θ from the checkpoint (OpenAI: ln 100) as the official code loads
        // CLIP's logit_scale; a bundle that is only the teacher leaves the small towers as they are
        int embedDim = towers == null ? s.embedDim() : clip.config().embedDim();
        double init = towers == null ? LogitScale.CLIP_INIT : clip.logitScale();
        String text = s.textEncoder();
        String textId = scratch ? CvlpModelConfig.SCRATCH_ID : s.clipText() ? "openai-clip" : MiniLmSentenceEncoder.ID;
        int textInputDim = scratch ? scratchText.maxLength() : s.clipText() ? towers.contextLength()
                : MiniLmSentenceEncoder.DIMENSION;
        return new CvlpModelConfig(CvlpModelConfig.FORMAT, s.depth(), geometry.channels(), geometry.height(),
                geometry.width(), embedDim, text, textId, textInputDim,
                scratch || s.clipText() ? 0 : s.textHiddenDim(), s.trainText(), init, LogitScale.CLIP_MAX, theta, scale,
                classNames, geometry.mean(), geometry.std(), corpusSha, scratchText,
                s.backbone(), towers);
    }

    /** The bundle's folder URI and digest (the runtime's, over its files), as recorded in the model config. */
    private String bundleSource() {
        var in = ctx.input(CvlpCommand.CLIP_BUNDLE);
        return in.uri() + " (sha256 " + in.sha256() + ")";
    }
}
