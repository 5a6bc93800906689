package dev.vlltr.stage.cvlp;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlltr.core.data.AugmentationPipeline;
import dev.vlltr.core.data.BatchLoader;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.data.LongTailSplitJson;
import dev.vlltr.core.data.LongTailSplitter;
import dev.vlltr.core.data.Sampler;
import dev.vlltr.core.data.Samplers;
import dev.vlltr.core.model.CachingSentenceEncoder;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.model.CvlpTeacher;
import dev.vlltr.core.model.LogitScale;
import dev.vlltr.core.model.MiniLmSentenceEncoder;
import dev.vlltr.core.model.Teacher;
import dev.vlltr.core.model.WordVocabulary;
import dev.vlltr.core.text.ClassCorpusEntry;
import dev.vlltr.core.text.CorpusJsonl;
import dev.vlltr.core.text.CorpusSentence;
import dev.vlltr.core.train.ClassSentences;
import dev.vlltr.core.train.CosineWarmupSchedule;
import dev.vlltr.core.train.CvlpTrainer;
import dev.vlltr.core.train.DecoupledAdamW;
import dev.vlltr.core.train.EmbeddingEvaluation;
import dev.vlltr.core.train.ImageEmbedder;
import dev.vlltr.core.train.LongTailData;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.Progress;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.data.FashionMnistFiles;
import dev.vlltr.runtime.manifest.Checkpoints;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactUris;
import dev.vlltr.runtime.store.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One execution of the cvlp stage: data, corpus, sentence embeddings, training with checkpoints, outputs. */
final class CvlpStage {

    private static final Logger LOG = LoggerFactory.getLogger(CvlpStage.class);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String CORPUS_SPLIT = "corpus";
    /** The optional input with a CLIP-like TorchScript teacher bundle (exclusive with {@code teacher}). */
    static final String TORCHSCRIPT_TEACHER = "teacher-torchscript";

    private final StageContext ctx;
    private final CvlpSettings s;
    /** sha256 of the TorchScript teacher's model.pt, when one is given. */
    private String teacherModelSha;

    CvlpStage(StageContext ctx, CvlpSettings settings) {
        this.ctx = ctx;
        this.s = settings;
    }

    /** The corpus as a table of sentence rows (corpus order). */
    record SentenceTable(List<String> texts, int[] labels, int[] indexInClass) {}

    void run() throws Exception {
        validate();
        // a TorchScript teacher first: a bad bundle fails before data loading and sentence encoding (a cvlp-run
        // teacher needs the corpus' text inputs, so it is loaded in train)
        Teacher torchScriptTeacher = ctx.hasInput(TORCHSCRIPT_TEACHER) ? loadTorchScriptTeacher() : null;
        try {
            train(torchScriptTeacher);
        } finally {
            if (torchScriptTeacher != null) {
                torchScriptTeacher.close();
            }
        }
    }

    private void train(Teacher torchScriptTeacher) throws Exception {
        // ---- corpus
        Path corpusFile = ctx.fetchUpstreamOutput("corpus", "corpus");
        String corpusSha = ctx.inputManifest("corpus").output("corpus").sha256();
        List<ClassCorpusEntry> corpus;
        try (InputStream in = Files.newInputStream(corpusFile)) {
            corpus = CorpusJsonl.readAll(in, "input 'corpus' (corpus.jsonl)");
        }
        // ---- images
        LongTailSplitter splitter;
        try {
            splitter = LongTailData.splitter(s.dataset(), s.imbalanceFactor(), s.seed());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("parameter 'dataset': " + e.getMessage());
        }
        if (LongTailData.isBenchmark(s.dataset())) {
            LOG.info("dataset {} is a named benchmark: its own imbalance factor {} applies (parameter"
                    + " imbalance-factor={} is ignored)", s.dataset(), splitter.profile().imbalanceFactor(),
                    s.imbalanceFactor());
        }
        LongTailData data = LongTailData.fashionMnist(FashionMnistFiles.forStage(s.dataDir())::open, splitter);
        List<String> classNames = data.train().classNames();
        SentenceTable table = sentenceTable(corpus, classNames);
        ctx.headline("sentences", table.texts().size());
        ctx.headline("train_images", data.train().size());

        // ---- text tower inputs: frozen MiniLM vectors, or token ids of a vocabulary built from this corpus
        long t0 = System.nanoTime();
        CvlpModelConfig.ScratchText scratchText = null;
        float[][] embeddings;
        if (scratch()) {
            // deterministic: frequency order, ties lexicographic; every corpus word is in it up to text-vocab-size
            WordVocabulary vocabulary = WordVocabulary.build(table.texts(), s.textVocabSize(), 1);
            scratchText = new CvlpModelConfig.ScratchText(s.textWidth(), s.textLayers(), s.textHeads(),
                    s.textMaxLength(), vocabulary.tokens());
            ctx.headline("text_vocabulary_size", vocabulary.size());
            LOG.info("scratch text encoder: vocabulary of {} ids from {} sentences", vocabulary.size(),
                    table.texts().size());
        }
        CvlpModelConfig initial = config(classNames, corpusSha, Double.NaN, Double.NaN, scratchText);
        if (scratch()) {
            embeddings = initial.textInputs(table.texts());
        } else {
            // each distinct sentence encoded once
            CachingSentenceEncoder encoder = new CachingSentenceEncoder(new MiniLmSentenceEncoder());
            embeddings = encoder.encode(table.texts());
            LOG.info("MiniLM: {} sentences ({} distinct) encoded in {} s", table.texts().size(),
                    encoder.computedCount(), String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        }

        // ---- model, teacher, trainer
        Engine.getInstance().setRandomSeed((int) s.seed());
        CvlpModel model = initial.newModel();
        Teacher teacher = torchScriptTeacher != null ? torchScriptTeacher : loadTeacher(table.texts(), embeddings);
        if (teacher == null) {
            LOG.info("no teacher: lambda = 1, the loss is L_ccl alone (parameter lambda={} is not used)", s.lambda());
        }
        CosineWarmupSchedule schedule = new CosineWarmupSchedule(s.lr(), s.epochs(), s.warmupEpochs(), s.warmupLr(),
                s.minLr());
        ClassSentences sentences = new ClassSentences(table.labels(), classNames.size());
        List<Map<String, Double>> history = new ArrayList<>();
        try (CvlpTrainer trainer = CvlpTrainer.builder().setModel(model).setImageShape(initial.imageShape())
                .setTextInputs(embeddings, scratch()).setSentences(sentences).setSchedule(schedule)
                .optWeightDecay(s.weightDecay()).optTeacher(teacher, s.lambda()).optSentenceTexts(table.texts())
                .optSeed(s.seed()).optTrainText(s.trainText()).build()) {
            ctx.headline("lambda_effective", trainer.effectiveLambda());
            Samplers.Builder sb = Samplers.builder().setName(s.sampler()).setLabels(data.train().labels(),
                    classNames.size()).optSeed(s.seed());
            if (s.epochLength() > 0) {
                sb.optEpochLength(s.epochLength());
            }
            Sampler sampler = sb.build();
            String key = checkpointKey(corpusSha);
            Checkpoints checkpoints = ctx.checkpoints();
            int start = resume(trainer, checkpoints, key, history);
            try (BatchLoader loader = BatchLoader.builder().setDataset(data.train())
                    .setBatches(Batches.of(sampler, s.batchSize()))
                    .optAugmentation(AugmentationPipeline.fashionMnistTrain()).optSeed(s.seed())
                    .optThreads(s.loaderThreads()).build()) {
                int[] valIdx = IntStream.range(0, data.val().size()).toArray();
                for (int epoch = start; epoch < s.epochs(); epoch++) {
                    CvlpTrainer.EpochStats st;
                    try (BatchLoader.Epoch batches = loader.epoch(epoch);
                            Progress bar = Progress.start("cvlp epoch " + (epoch + 1) + "/" + s.epochs(),
                                    batches.size())) {
                        st = trainer.trainEpoch(epoch, counting(batches, bar));
                    }
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("epoch", (double) (epoch + 1));
                    m.put("lr", st.lr());
                    m.put("loss", st.loss());
                    m.put("l_ccl", st.ccl());
                    if (teacher != null) {
                        m.put("l_dis", st.dis());
                    }
                    m.put("logit_scale", st.logitScale());
                    m.put("images_per_s", st.imagesPerSecond());
                    m.put("epoch_seconds", st.seconds());
                    float[][] valFeatures = ImageEmbedder.embed(model.getVision(), trainer.getManager(), data.val(),
                            valIdx, AugmentationPipeline.fashionMnistEval(), s.evalBatchSize());
                    float[][] textFeatures = trainer.encodeAllText(s.evalBatchSize());
                    double[][] protos = EmbeddingEvaluation.classPrototypes(textFeatures, table.labels(),
                            classNames.size());
                    m.put("val_zero_shot_acc", EmbeddingEvaluation.zeroShotAccuracy(valFeatures,
                            data.val().labels(), protos));
                    EmbeddingEvaluation.Retrieval r = EmbeddingEvaluation.retrieval(valFeatures, data.val().labels(),
                            textFeatures, table.labels());
                    m.put("val_i2t_top1", r.imageToText());
                    m.put("val_t2i_top1", r.textToImage());
                    history.add(m);
                    m.forEach((k, v) -> {
                        if (!k.equals("epoch")) {
                            ctx.metric(k, v, epoch1(m));
                        }
                    });
                    LOG.info("cvlp epoch {}/{}: {}", epoch + 1, s.epochs(), m);
                    saveCheckpoint(trainer, checkpoints, epoch + 1, key, history);
                }
            }
            writeOutputs(trainer, model, data, table, embeddings, classNames, corpusSha, scratchText, history);
        } finally {
            if (teacher != null && teacher != torchScriptTeacher) { // run() closes the TorchScript one
                teacher.close();
            }
        }
    }

    private static long epoch1(Map<String, Double> m) {
        return m.get("epoch").longValue();
    }

    private boolean scratch() {
        return CvlpModelConfig.TEXT_SCRATCH.equals(s.textEncoder());
    }

    private void validate() {
        if (ctx.hasInput("teacher") && ctx.hasInput(TORCHSCRIPT_TEACHER)) {
            throw new BadInputException("inputs 'teacher' and '" + TORCHSCRIPT_TEACHER + "' are mutually exclusive:"
                    + " L_dis distils from one teacher (an earlier cvlp run or a CLIP-like TorchScript bundle)");
        }
        positive("epochs", s.epochs());
        positive("text-width", s.textWidth());
        positive("text-heads", s.textHeads());
        positive("text-max-length", s.textMaxLength());
        if (s.textLayers() < 0) {
            throw new BadInputException("parameter 'text-layers': expected >= 0, got " + s.textLayers());
        }
        if (s.textWidth() % s.textHeads() != 0) {
            throw new BadInputException("parameter 'text-width': expected a multiple of text-heads ("
                    + s.textHeads() + "), got " + s.textWidth());
        }
        if (s.textVocabSize() < 2) {
            throw new BadInputException("parameter 'text-vocab-size': expected >= 2 (<pad>, <unk>), got "
                    + s.textVocabSize());
        }
        positive("batch-size", s.batchSize());
        positive("embed-dim", s.embedDim());
        positive("eval-batch-size", s.evalBatchSize());
        positive("loader-threads", s.loaderThreads());
        if (s.epochLength() < 0) {
            throw new BadInputException("parameter 'epoch-length': expected >= 0 (0 = N), got " + s.epochLength());
        }
        if (s.textHiddenDim() < 0) {
            throw new BadInputException("parameter 'text-hidden-dim': expected >= 0, got " + s.textHiddenDim());
        }
        if (s.depth() < 8 || (s.depth() - 2) % 6 != 0) {
            throw new BadInputException("parameter 'depth': expected a CIFAR ResNet depth 6n+2 (8, 14, 20, 32, ...),"
                    + " got " + s.depth());
        }
        if (!(s.lr() > 0)) {
            throw new BadInputException("parameter 'lr': expected > 0, got " + s.lr());
        }
        if (!(s.lambda() >= 0 && s.lambda() <= 1)) {
            throw new BadInputException("parameter 'lambda': expected a weight in [0, 1], got " + s.lambda());
        }
        if (!(s.imbalanceFactor() >= 1)) {
            throw new BadInputException("parameter 'imbalance-factor': expected >= 1, got " + s.imbalanceFactor());
        }
        if (s.warmupEpochs() < 0 || s.warmupEpochs() >= s.epochs() && s.warmupEpochs() > 0) {
            throw new BadInputException("parameter 'warmup-epochs': expected 0 <= warmup-epochs < epochs ("
                    + s.epochs() + "), got " + s.warmupEpochs());
        }
        if (s.minLr() < 0 || s.minLr() > s.lr() || s.warmupLr() < 0) {
            throw new BadInputException("parameters 'min-lr'/'warmup-lr': expected 0 <= min-lr <= lr and warmup-lr"
                    + " >= 0, got min-lr " + s.minLr() + ", warmup-lr " + s.warmupLr());
        }
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new BadInputException("parameter '" + name + "': expected >= 1, got " + v);
        }
    }

    /** Rows = every sentence of every class, in corpus order; the corpus must name the dataset's classes. */
    static SentenceTable sentenceTable(List<ClassCorpusEntry> corpus, List<String> classNames) {
        Map<Integer, ClassCorpusEntry> byId = new LinkedHashMap<>();
        for (ClassCorpusEntry e : corpus) {
            if (e.classId() < 0 || e.classId() >= classNames.size()) {
                throw new BadInputException("input 'corpus' (corpus.jsonl): classId " + e.classId() + " ('" + e.name()
                        + "') is outside the dataset's classes [0, " + classNames.size() + ")");
            }
            if (!e.name().equalsIgnoreCase(classNames.get(e.classId()))) {
                throw new BadInputException("input 'corpus' (corpus.jsonl): classId " + e.classId() + " is named '"
                        + e.name() + "', but the dataset's class " + e.classId() + " is '"
                        + classNames.get(e.classId()) + "'");
            }
            if (e.sentences().isEmpty()) {
                throw new BadInputException("input 'corpus' (corpus.jsonl): class " + e.classId() + " ('" + e.name()
                        + "') has no sentences; CVLP needs at least one per class");
            }
            byId.put(e.classId(), e);
        }
        for (int c = 0; c < classNames.size(); c++) {
            if (!byId.containsKey(c)) {
                throw new BadInputException("input 'corpus' (corpus.jsonl): no entry for class " + c + " ('"
                        + classNames.get(c) + "'); every class of the dataset needs sentences");
            }
        }
        List<String> texts = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (ClassCorpusEntry e : corpus) {
            int i = 0;
            for (CorpusSentence sentence : e.sentences()) {
                texts.add(sentence.text());
                labels.add(e.classId());
                index.add(i++);
            }
        }
        return new SentenceTable(texts, labels.stream().mapToInt(Integer::intValue).toArray(),
                index.stream().mapToInt(Integer::intValue).toArray());
    }

    private CvlpModelConfig config(List<String> classNames, String corpusSha, double theta, double scale,
            CvlpModelConfig.ScratchText scratchText) {
        boolean scratch = scratchText != null;
        return new CvlpModelConfig(CvlpModelConfig.FORMAT, s.depth(), 1, 28, 28, s.embedDim(),
                scratch ? CvlpModelConfig.TEXT_SCRATCH : CvlpModelConfig.TEXT_MINILM,
                scratch ? CvlpModelConfig.SCRATCH_ID : MiniLmSentenceEncoder.ID,
                scratch ? scratchText.maxLength() : MiniLmSentenceEncoder.DIMENSION, scratch ? 0 : s.textHiddenDim(),
                s.trainText(), LogitScale.CLIP_INIT, LogitScale.CLIP_MAX, theta, scale, classNames,
                new float[] {dev.vlltr.core.data.FashionMnist.MEAN}, new float[] {dev.vlltr.core.data.FashionMnist.STD},
                corpusSha, scratchText);
    }

    /**
     * The optional teacher. It is fed its own text input for the batch's sentences (looked up by text), so a teacher
     * of either text encoder (minilm, or scratch with its own vocabulary) works with a student of either.
     */
    private Teacher loadTeacher(List<String> texts, float[][] studentInputs) throws IOException {
        if (!ctx.hasInput("teacher")) {
            return null;
        }
        Path configFile = ctx.fetchUpstreamOutput("teacher", "model-config");
        Path params = ctx.fetchUpstreamOutput("teacher", "encoders");
        CvlpModelConfig tc;
        try (InputStream in = Files.newInputStream(configFile)) {
            tc = CvlpModelConfig.read(in, "input 'teacher' (model-config.json)");
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!tc.scratch() && tc.textInputDim() != MiniLmSentenceEncoder.DIMENSION) {
            throw new BadInputException("input 'teacher': its text input dimension is " + tc.textInputDim()
                    + ", expected " + MiniLmSentenceEncoder.DIMENSION + " (MiniLM sentence embeddings)");
        }
        if (!tc.imageShape().equals(new Shape(1, 28, 28))) {
            throw new BadInputException("input 'teacher': its image shape is " + tc.imageShape()
                    + ", this stage trains on (1, 28, 28) images");
        }
        float[][] teacherInputs = !tc.scratch() && !scratch() ? studentInputs : tc.textInputs(texts);
        Map<String, float[]> byText = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            byText.putIfAbsent(texts.get(i), teacherInputs[i]);
        }
        CvlpTeacher t;
        try (InputStream in = Files.newInputStream(params)) {
            t = CvlpTeacher.load(tc.newModel(), tc.imageShape(), tc.textInputShape(), in,
                    ctx.input("teacher").uri().toString());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("input 'teacher': " + e.getMessage());
        }
        LOG.info("teacher: {} (text encoder {})", t.describe(), tc.textEncoder());
        return new OwnTextInputTeacher(t, byText, tc.scratch() ? DataType.INT32 : DataType.FLOAT32,
                tc.textInputShape().get(0));
    }

    /** Replaces the student's text input by the teacher's own (MiniLM vectors or its vocabulary's token ids). */
    static final class OwnTextInputTeacher implements Teacher {
        private final CvlpTeacher delegate;
        private final Map<String, float[]> inputs;
        private final DataType type;
        private final long width;

        OwnTextInputTeacher(CvlpTeacher delegate, Map<String, float[]> inputs, DataType type, long width) {
            this.delegate = delegate;
            this.inputs = inputs;
            this.type = type;
            this.width = width;
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public NDArray logitsPerImage(NDManager manager, NDArray images, List<String> sentences,
                NDArray studentText) {
            if (sentences.size() != images.getShape().get(0)) {
                throw new IllegalStateException("teacher needs the batch's sentence texts, got " + sentences.size()
                        + " for " + images.getShape().get(0) + " images");
            }
            float[] buf = new float[(int) (sentences.size() * width)];
            for (int i = 0; i < sentences.size(); i++) {
                System.arraycopy(inputs.get(sentences.get(i)), 0, buf, (int) (i * width), (int) width);
            }
            try (NDManager scratch = manager.newSubManager()) {
                NDArray text = scratch.create(buf, new Shape(sentences.size(), width)).toType(type, false);
                return delegate.logitsPerImage(manager, images, sentences, text);
            }
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /**
     * A CLIP-like TorchScript teacher bundle ({@link ClipTeacherBundle}): the input is the bundle folder, whose digest
     * (the runtime's, over every file of the folder) is in the run's fingerprint and manifest like any input.
     */
    private Teacher loadTorchScriptTeacher() throws IOException {
        String where = "input '" + TORCHSCRIPT_TEACHER + "'";
        URI folder = ctx.input(TORCHSCRIPT_TEACHER).uri();
        if (!folder.toString().endsWith("/")) {
            throw new BadInputException(where + ": expected the URI of a teacher bundle folder ending with '/' ("
                    + String.join(", ", ClipTeacherBundle.FILES) + " inside), got " + folder);
        }
        Map<String, ArtifactInfo> listed = new LinkedHashMap<>();
        for (ArtifactInfo f : ctx.store().list(folder)) {
            listed.put(ArtifactUris.relativize(folder, f.uri()), f);
        }
        Path dir = ctx.scratch().resolve("inputs").resolve(TORCHSCRIPT_TEACHER);
        for (String name : ClipTeacherBundle.FILES) {
            ArtifactInfo f = listed.get(name);
            if (f == null) {
                throw new BadInputException(where + ": the teacher bundle " + folder + " has no " + name
                        + " (a bundle is a folder with " + String.join(", ", ClipTeacherBundle.FILES) + ")");
            }
            ctx.store().download(f.uri(), dir.resolve(name), f.sha256());
        }
        teacherModelSha = Sha256.of(dir.resolve(ClipTeacherBundle.MODEL));
        try {
            Teacher t = ClipTeacherBundle.load(dir, folder.toString(), new Shape(1, 28, 28),
                    new float[] {dev.vlltr.core.data.FashionMnist.MEAN},
                    new float[] {dev.vlltr.core.data.FashionMnist.STD});
            LOG.info("teacher: {} (model.pt sha256 {})", t.describe(), teacherModelSha);
            return t;
        } catch (BadInputException e) {
            throw new BadInputException(where + ": " + e.getMessage());
        }
    }

    /** Checkpoints are reused only by a run with the same parameters and inputs. */
    private String checkpointKey(String corpusSha) throws IOException {
        StringBuilder sb = new StringBuilder(ctx.params().asStrings().toString()).append('|').append(corpusSha);
        if (ctx.hasInput("teacher")) {
            sb.append('|').append(ctx.input("teacher").sha256());
        }
        if (ctx.hasInput(TORCHSCRIPT_TEACHER)) {
            sb.append('|').append(ctx.input(TORCHSCRIPT_TEACHER).uri()).append('|')
                    .append(ctx.input(TORCHSCRIPT_TEACHER).sha256()).append('|').append(teacherModelSha);
        }
        return Sha256.of(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private int resume(CvlpTrainer trainer, Checkpoints checkpoints, String key, List<Map<String, Double>> history)
            throws IOException {
        Optional<Checkpoints.TrainingState> saved = checkpoints.restoreTraining(key, s.epochs(),
                ctx.scratch().resolve("restore"));
        if (saved.isEmpty()) {
            return 0;
        }
        Checkpoints.TrainingState st = saved.get();
        trainer.importState(new CvlpTrainer.State(st.parameters(),
                new DecoupledAdamW.State(st.optimizerMoments(), st.optimizerSteps())));
        history.addAll(st.history());
        LOG.info("resumed after epoch {} of {}", st.epoch(), s.epochs());
        ctx.headline("resumed_from_epoch", st.epoch());
        return st.epoch();
    }

    private void saveCheckpoint(CvlpTrainer trainer, Checkpoints checkpoints, int completed, String key,
            List<Map<String, Double>> history) throws IOException {
        CvlpTrainer.State state = trainer.exportState();
        checkpoints.saveTraining(new Checkpoints.TrainingState(completed, state.parameters(),
                state.optimizer().moments(), state.optimizer().steps(), history), key, ctx.scratch());
    }

    private void writeOutputs(CvlpTrainer trainer, CvlpModel model, LongTailData data, SentenceTable table,
            float[][] embeddings, List<String> classNames, String corpusSha, CvlpModelConfig.ScratchText scratchText,
            List<Map<String, Double>> history) throws IOException {
        try (OutputStream out = Files.newOutputStream(ctx.output("encoders", "cvlp-encoders.params"))) {
            trainer.saveParameters(out);
        }
        double theta = model.getLogitScale().getThetaParameter().getArray().getFloat(0);
        double scale = model.getLogitScale().currentScale();
        try (OutputStream out = Files.newOutputStream(ctx.output("model-config", "model-config.json"))) {
            config(classNames, corpusSha, theta, scale, scratchText).write(out);
        }
        float[][] index = new float[table.indexInClass().length][];
        for (int i = 0; i < index.length; i++) {
            index[i] = new float[] {table.indexInClass()[i]};
        }
        Map<String, float[][]> emb = new LinkedHashMap<>();
        // the text tower's frozen input: MiniLM vectors, or (scratch) the token ids as floats, padded with 0
        emb.put(scratchText == null ? "embeddings" : "token_ids", embeddings);
        emb.put("sentence_index", index);
        try (OutputStream out = Files.newOutputStream(ctx.output("sentence-embeddings", "sentence-embeddings.vlft"))) {
            new FeatureTable(CORPUS_SPLIT, classNames, table.labels(), emb).writeTo(out);
        }
        Map<String, float[][]> feats = new LinkedHashMap<>();
        feats.put(FeatureTable.FEATURES, trainer.encodeAllText(s.evalBatchSize()));
        feats.put("sentence_index", index);
        try (OutputStream out = Files.newOutputStream(ctx.output("text-features", "text-features.vlft"))) {
            new FeatureTable(CORPUS_SPLIT, classNames, table.labels(), feats).writeTo(out);
        }
        try (OutputStream out = Files.newOutputStream(ctx.output("split", "long-tail-split.json"))) {
            LongTailSplitJson.write(data.split(), out);
        }
        Path hist = ctx.output("history", "history.json");
        JSON.writeValue(hist.toFile(), history);
        ctx.trackArtifact(hist);
        Map<String, Double> last = history.get(history.size() - 1);
        for (String k : List.of("loss", "l_ccl", "l_dis", "logit_scale", "val_zero_shot_acc", "val_i2t_top1",
                "val_t2i_top1")) {
            if (last.containsKey(k)) {
                ctx.headline(k, last.get(k));
            }
        }
        ctx.headline("train_seconds", history.stream().mapToDouble(h -> h.get("epoch_seconds")).sum());
    }

    private static Iterator<dev.vlltr.core.data.FloatBatch> counting(Iterator<dev.vlltr.core.data.FloatBatch> it,
            Progress bar) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public dev.vlltr.core.data.FloatBatch next() {
                bar.step();
                return it.next();
            }
        };
    }
}
