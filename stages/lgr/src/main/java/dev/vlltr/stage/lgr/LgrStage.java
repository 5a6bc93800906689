package dev.vlltr.stage.lgr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.calibrate.BatchIndexSource;
import dev.vlltr.core.data.AugmentationPipeline;
import dev.vlltr.core.data.BatchLoader;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.data.LongTailSplitJson;
import dev.vlltr.core.data.Sampler;
import dev.vlltr.core.data.Samplers;
import dev.vlltr.core.eval.EvaluationReport;
import dev.vlltr.core.eval.Evaluator;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.model.LgrHead;
import dev.vlltr.core.model.VisionEncoder;
import dev.vlltr.core.train.CosineWarmupSchedule;
import dev.vlltr.core.train.DecoupledAdamW;
import dev.vlltr.core.train.ImageEmbedder;
import dev.vlltr.core.train.LgrTrainer;
import dev.vlltr.core.train.LongTailData;
import dev.vlltr.core.train.MixupCutmix;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.Progress;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageParams;
import dev.vlltr.runtime.data.FashionMnistFiles;
import dev.vlltr.runtime.manifest.Checkpoints;
import dev.vlltr.runtime.store.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One execution of lgr: frozen features, head training with checkpoints, per-split outputs and metrics. */
final class LgrStage {

    private static final Logger LOG = LoggerFactory.getLogger(LgrStage.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final StageContext ctx;
    private final StageParams p;

    LgrStage(StageContext ctx) {
        this.ctx = ctx;
        this.p = ctx.params();
    }

    /** The text memory read from anchor-embeddings.vlft. */
    record Memory(float[] data, int classes, int m, int dim, int[] counts) {}

    /** Head outputs on one split, with the three predictions. */
    record SplitOutputs(String split, float[][] features, int[] labels, LgrTrainer.Outputs out) {}

    void run() throws Exception {
        validate();
        boolean images = p.string("input").equals("images");
        double alpha = p.decimal("alpha");
        int bs = p.integer("eval-batch-size");
        long seed = p.integer("seed");

        CvlpModelConfig config = readConfig();
        Memory memory = readMemory(config);
        LongTailSplit split;
        try (InputStream in = Files.newInputStream(ctx.fetchUpstreamOutput("cvlp", "split"))) {
            split = LongTailSplitJson.read(in, "input 'cvlp' (long-tail-split.json)");
        }
        LongTailData data = LongTailData.fashionMnist(FashionMnistFiles.forStage(p.string("data-dir"))::open, split,
                "long-tail-split.json");
        List<String> classNames = config.classNames();
        int[] trainCounts = data.train().classCounts();

        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager manager = NDManager.newBaseManager()) {
            CvlpModel cvlp;
            try (InputStream in = Files.newInputStream(ctx.fetchUpstreamOutput("cvlp", "encoders"))) {
                cvlp = config.load(manager, in, "input 'cvlp' (cvlp-encoders.params)");
            } catch (IOException e) {
                throw new BadInputException(e.getMessage());
            }
            VisionEncoder vision = cvlp.getVision();
            long t0 = System.nanoTime();
            float[][] trainF = embed(vision, manager, data.train(), bs, "train");
            float[][] valF = embed(vision, manager, data.val(), bs, "val");
            float[][] testF = embed(vision, manager, data.test(), bs, "test");
            ctx.headline("feature_seconds", (System.nanoTime() - t0) / 1e9);

            LgrHead head = LgrHead.builder().setTextMemory(memory.data(), memory.classes(), memory.m(), memory.dim())
                    .setSentenceCounts(memory.counts()).setLogitScale(Math.log(config.logitScale()))
                    .optFreezeAttention(p.bool("freeze-attention")).build();
            CosineWarmupSchedule schedule = new CosineWarmupSchedule(p.decimal("lr"), p.integer("epochs"),
                    p.integer("warmup-epochs"), 1e-6, Math.min(p.decimal("min-lr"), p.decimal("lr")));
            MixupCutmix mixup = new MixupCutmix(p.decimal("mixup"), p.decimal("cutmix"), 0.5, p.decimal("smoothing"));
            if (!images && mixup.enabled()) {
                LOG.info("input=features: Mixup/CutMix are not applied (they mix images); label smoothing {} only",
                        p.decimal("smoothing"));
            }
            LgrTrainer.Builder tb = LgrTrainer.builder().setHead(head).setSchedule(schedule)
                    .optAttentionLr(p.decimal("attention-lr")).optWeightDecay(p.decimal("weight-decay"))
                    .optLabelSmoothing(p.decimal("smoothing")).optTextBranch(p.bool("text-branch")).optSeed(seed);
            if (images) {
                tb.optBackbone(vision).setInputShape(config.imageShape()).optMixup(mixup.enabled() ? mixup : null);
            } else {
                tb.setInputShape(new Shape(memory.dim()));
            }
            Sampler sampler = Samplers.builder().setName(samplerName()).setLabels(data.train().labels(),
                    classNames.size()).optSeed(seed).build();
            BatchIndexSource batches = Batches.of(sampler, p.integer("batch-size"));
            List<Map<String, Double>> history = new ArrayList<>();
            try (LgrTrainer trainer = tb.build();
                    BatchLoader loader = images ? BatchLoader.builder().setDataset(data.train()).setBatches(batches)
                            .optAugmentation(AugmentationPipeline.fashionMnistTrain()).optSeed(seed)
                            .optThreads(p.integer("loader-threads")).build() : null) {
                if (images) {
                    // the backbone must still be the CVLP tower after the trainer's initialisation
                    float[][] again = embed(vision, manager, data.val(), bs, "val (check)");
                    if (!java.util.Arrays.deepEquals(again, valF)) {
                        throw new IllegalStateException("the frozen backbone changed during LGR initialisation");
                    }
                }
                String key = checkpointKey();
                Checkpoints checkpoints = ctx.checkpoints();
                int start = resume(trainer, checkpoints, key, history);
                for (int epoch = start; epoch < p.integer("epochs"); epoch++) {
                    LgrTrainer.EpochStats st;
                    if (images) {
                        try (BatchLoader.Epoch e = loader.epoch(epoch);
                                Progress bar = Progress.start("lgr epoch " + (epoch + 1), e.size())) {
                            st = trainer.trainEpoch(epoch, counting(e, bar));
                        }
                    } else {
                        st = trainer.trainEpoch(epoch, featureBatches(batches.epoch(epoch), trainF,
                                data.train().labels()));
                    }
                    Map<String, Double> m = new LinkedHashMap<>();
                    m.put("epoch", (double) (epoch + 1));
                    m.put("lr", st.lr());
                    m.put("loss", st.loss());
                    m.put("ce_image", st.ceImage());
                    m.put("ce_text", st.ceText());
                    m.put("epoch_seconds", st.seconds());
                    SplitOutputs val = outputs(trainer, "val", valF, data.val().labels(), bs);
                    accuracies(val, alpha).forEach((k, v) -> m.put("val_" + k, v));
                    history.add(m);
                    long step = epoch + 1;
                    m.forEach((k, v) -> {
                        if (!k.equals("epoch")) {
                            ctx.metric(k, v, step);
                        }
                    });
                    LOG.info("lgr epoch {}/{}: {}", epoch + 1, p.integer("epochs"), m);
                    saveCheckpoint(trainer, checkpoints, epoch + 1, key, history);
                }
                ctx.headline("train_seconds", history.stream().mapToDouble(h -> h.get("epoch_seconds")).sum());
                List<SplitOutputs> all = List.of(outputs(trainer, "train", trainF, data.train().labels(), bs),
                        outputs(trainer, "val", valF, data.val().labels(), bs),
                        outputs(trainer, "test", testF, data.test().labels(), bs));
                for (SplitOutputs so : all) {
                    writeTable(so, classNames);
                    if (!so.split().equals("train")) {
                        accuracies(so, alpha).forEach((k, v) -> ctx.headline(so.split() + "_" + k, v));
                    }
                }
                shotMetrics(all.get(2), trainCounts, alpha);
                writeClassifier(trainer);
                writeLgrJson(config, memory, classNames, trainCounts, alpha, images, mixup);
                try (OutputStream out = Files.newOutputStream(ctx.output("head", "lgr-head.params"))) {
                    trainer.saveHead(out);
                }
                Path hist = ctx.output("history", "history.json");
                JSON.writeValue(hist.toFile(), history);
                ctx.trackArtifact(hist);
            }
        }
    }

    private void validate() {
        for (String n : List.of("epochs", "batch-size", "eval-batch-size", "loader-threads")) {
            if (p.integer(n) < 1) {
                throw new BadInputException("parameter '" + n + "': expected >= 1, got " + p.integer(n));
            }
        }
        double a = p.decimal("alpha");
        if (!(a >= 0 && a <= 1)) {
            throw new BadInputException("parameter 'alpha': expected a weight in [0, 1], got " + a);
        }
        if (!(p.decimal("lr") > 0)) {
            throw new BadInputException("parameter 'lr': expected > 0, got " + p.decimal("lr"));
        }
        if (p.integer("warmup-epochs") < 0 || p.integer("warmup-epochs") > 0
                && p.integer("warmup-epochs") >= p.integer("epochs")) {
            throw new BadInputException("parameter 'warmup-epochs': expected 0 <= warmup-epochs < epochs");
        }
        if (p.decimal("mixup") < 0 || p.decimal("cutmix") < 0) {
            throw new BadInputException("parameters 'mixup'/'cutmix': expected >= 0");
        }
        double s = p.decimal("smoothing");
        if (s < 0 || s >= 1) {
            throw new BadInputException("parameter 'smoothing': expected [0, 1), got " + s);
        }
    }

    private String samplerName() {
        String s = p.string("sampler");
        return s.equals("class-balanced") ? "class" : s;
    }

    private float[][] embed(VisionEncoder vision, NDManager manager, ImageDataset set, int bs, String what) {
        long t0 = System.nanoTime();
        float[][] f = ImageEmbedder.embed(vision, manager, set, IntStream.range(0, set.size()).toArray(),
                AugmentationPipeline.fashionMnistEval(), bs);
        LOG.info("frozen features of {} ({} images) in {} s", what, set.size(),
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return f;
    }

    private CvlpModelConfig readConfig() throws IOException {
        try (InputStream in = Files.newInputStream(ctx.fetchUpstreamOutput("cvlp", "model-config"))) {
            return CvlpModelConfig.read(in, "input 'cvlp' (model-config.json)");
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    /** C x M x D memory and per-class counts from the anchors' class-major table (mask: real slots first). */
    private Memory readMemory(CvlpModelConfig config) throws IOException {
        FeatureTable t;
        try (InputStream in = Files.newInputStream(ctx.fetchUpstreamOutput("anchors", "anchor-embeddings"))) {
            t = FeatureTable.readFrom(in, "input 'anchors' (anchor-embeddings.vlft)");
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        }
        String where = "input 'anchors' (anchor-embeddings.vlft): ";
        if (!t.classNames().equals(config.classNames())) {
            throw new BadInputException(where + "class names " + t.classNames() + " differ from the cvlp model's "
                    + config.classNames());
        }
        int c = t.numClasses();
        if (t.rows() % c != 0) {
            throw new BadInputException(where + t.rows() + " rows is not C x M for C = " + c);
        }
        int m = t.rows() / c;
        float[][] f = t.array(FeatureTable.FEATURES);
        float[][] mask = t.array("mask");
        int d = f[0].length;
        if (d != config.embedDim()) {
            throw new BadInputException(where + "features are " + d + " wide, the cvlp embedding is "
                    + config.embedDim());
        }
        float[] data = new float[c * m * d];
        int[] counts = new int[c];
        for (int r = 0; r < t.rows(); r++) {
            int cls = r / m;
            if (t.labels()[r] != cls) {
                throw new BadInputException(where + "row " + r + " has label " + t.labels()[r] + ", expected "
                        + cls + " (class-major rows)");
            }
            if (mask[r][0] > 0) {
                if (counts[cls] != r % m) {
                    throw new BadInputException(where + "class " + cls + " has a real sentence after padding"
                            + " (row " + r + ")");
                }
                counts[cls]++;
            }
            System.arraycopy(f[r], 0, data, r * d, d);
        }
        for (int k = 0; k < c; k++) {
            if (counts[k] == 0) {
                throw new BadInputException(where + "class " + k + " has no anchor sentence");
            }
        }
        return new Memory(data, c, m, d, counts);
    }

    private SplitOutputs outputs(LgrTrainer trainer, String split, float[][] features, int[] labels, int bs) {
        return new SplitOutputs(split, features, labels, trainer.outputs(features, bs));
    }

    /** Top-1 of the alpha mix, of P^I + P^T, and of each branch. */
    private Map<String, Double> accuracies(SplitOutputs so, double alpha) {
        Map<String, Double> m = new LinkedHashMap<>();
        float[][] pI = so.out().logitsImage();
        float[][] pT = so.out().logitsText();
        int mix = 0;
        int sum = 0;
        int img = 0;
        int txt = 0;
        for (int i = 0; i < so.labels().length; i++) {
            int y = so.labels()[i];
            mix += argmax(mixed(pI[i], pT[i], alpha)) == y ? 1 : 0;
            sum += argmax(rawSum(pI[i], pT[i])) == y ? 1 : 0;
            img += argmax(pI[i]) == y ? 1 : 0;
            txt += argmax(pT[i]) == y ? 1 : 0;
        }
        double n = so.labels().length;
        boolean text = p.bool("text-branch");
        m.put("top1", (text ? mix : img) / n);
        m.put("top1_sum", sum / n);
        m.put("top1_image", img / n);
        m.put("top1_text", txt / n);
        return m;
    }

    /** Test metrics per shot split (all conventions) for the alpha mix (primary) and the raw sum. */
    private void shotMetrics(SplitOutputs test, int[] trainCounts, double alpha) {
        int n = test.labels().length;
        float[][] mixScores = new float[n][];
        float[][] sumScores = new float[n][];
        for (int i = 0; i < n; i++) {
            mixScores[i] = p.bool("text-branch") ? mixed(test.out().logitsImage()[i], test.out().logitsText()[i], alpha)
                    : softmax(test.out().logitsImage()[i]);
            sumScores[i] = rawSum(test.out().logitsImage()[i], test.out().logitsText()[i]);
        }
        Evaluator probs = Evaluator.builder().setTrainClassCounts(trainCounts).optScoresAreProbabilities(true).build();
        EvaluationReport mix = probs.evaluate(mixScores, test.labels());
        mix.toMetrics().forEach((k, v) -> ctx.headline("test_mix/" + k, v));
        EvaluationReport sum = Evaluator.builder().setTrainClassCounts(trainCounts).build()
                .evaluate(sumScores, test.labels());
        sum.toMetrics().forEach((k, v) -> ctx.headline("test_sum/" + k, v));
    }

    static float[] mixed(float[] pI, float[] pT, double alpha) {
        float[] a = softmax(pI);
        float[] b = softmax(pT);
        float[] out = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            out[k] = (float) (alpha * a[k] + (1 - alpha) * b[k]);
        }
        return out;
    }

    static float[] rawSum(float[] pI, float[] pT) {
        float[] out = new float[pI.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = pI[k] + pT[k];
        }
        return out;
    }

    static float[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            e[k] = Math.exp(z[k] - max);
            sum += e[k];
        }
        float[] out = new float[z.length];
        for (int k = 0; k < z.length; k++) {
            out[k] = (float) (e[k] / sum);
        }
        return out;
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
            if (row[k] > row[best]) {
                best = k;
            }
        }
        return best;
    }

    private void writeTable(SplitOutputs so, List<String> classNames) throws IOException {
        Map<String, float[][]> arrays = new LinkedHashMap<>();
        arrays.put(FeatureTable.FEATURES, so.features());
        arrays.put("hidden_image", so.out().hidden());
        arrays.put("logits_image", so.out().logitsImage());
        arrays.put("logits_text", so.out().logitsText());
        try (OutputStream out = Files.newOutputStream(ctx.output("features-" + so.split(),
                "features-" + so.split() + ".vlft"))) {
            new FeatureTable(so.split(), classNames, so.labels(), arrays).writeTo(out);
        }
    }

    private void writeClassifier(LgrTrainer trainer) throws IOException {
        float[][][] wb = trainer.visualClassifier();
        ObjectNode root = JSON.createObjectNode();
        root.put("input", "hidden_image");
        ArrayNode w = root.putArray("weight");
        for (float[] row : wb[0]) {
            ArrayNode r = w.addArray();
            for (float v : row) {
                r.add(v);
            }
        }
        ArrayNode b = root.putArray("bias");
        for (float v : wb[1][0]) {
            b.add(v);
        }
        try (OutputStream out = Files.newOutputStream(ctx.output("visual-classifier", "visual-classifier.json"))) {
            JSON.writeValue(out, root);
        }
    }

    private void writeLgrJson(CvlpModelConfig config, Memory memory, List<String> classNames, int[] trainCounts,
            double alpha, boolean images, MixupCutmix mixup) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "vlltr.lgr/1");
        root.put("alpha", alpha);
        ArrayNode names = root.putArray("classNames");
        classNames.forEach(names::add);
        ArrayNode counts = root.putArray("trainClassCounts");
        for (int n : trainCounts) {
            counts.add(n);
        }
        root.put("logitScale", config.logitScale());
        root.put("featureDim", memory.dim());
        root.put("hiddenDim", 4 * memory.dim());
        root.put("anchorsPerClass", memory.m());
        ArrayNode sc = root.putArray("anchorCounts");
        for (int n : memory.counts()) {
            sc.add(n);
        }
        root.put("input", images ? "images" : "features");
        root.put("mixup", images && mixup.enabled() ? "mixup " + p.decimal("mixup") + ", cutmix "
                + p.decimal("cutmix") : "off");
        root.put("freezeAttention", p.bool("freeze-attention"));
        root.put("textBranch", p.bool("text-branch"));
        root.put("prediction", p.bool("text-branch") ? "alpha * softmax(logits_image) + (1 - alpha) *"
                + " softmax(logits_text)" : "softmax(logits_image)");
        root.put("imageNormalization", "x / 255, then (x - " + config.normalizationMean()[0] + ") / "
                + config.normalizationStd()[0]);
        try (OutputStream out = Files.newOutputStream(ctx.output("lgr", "lgr.json"))) {
            JSON.writeValue(out, root);
        }
    }

    private String checkpointKey() throws IOException {
        String s = ctx.params().asStrings() + "|" + ctx.input("cvlp").sha256() + "|" + ctx.input("anchors").sha256();
        return Sha256.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private int resume(LgrTrainer trainer, Checkpoints checkpoints, String key, List<Map<String, Double>> history)
            throws IOException {
        Optional<Checkpoints.TrainingState> saved = checkpoints.restoreTraining(key, ctx.params().integer("epochs"),
                ctx.scratch().resolve("restore"));
        if (saved.isEmpty()) {
            return 0;
        }
        Checkpoints.TrainingState st = saved.get();
        trainer.importState(new LgrTrainer.State(st.parameters(),
                new DecoupledAdamW.State(st.optimizerMoments(), st.optimizerSteps())));
        history.addAll(st.history());
        ctx.headline("resumed_from_epoch", st.epoch());
        LOG.info("resumed after epoch {}", st.epoch());
        return st.epoch();
    }

    private void saveCheckpoint(LgrTrainer trainer, Checkpoints checkpoints, int completed, String key,
            List<Map<String, Double>> history) throws IOException {
        LgrTrainer.State state = trainer.exportState();
        checkpoints.saveTraining(new Checkpoints.TrainingState(completed, state.parameters(),
                state.optimizer().moments(), state.optimizer().steps(), history), key, ctx.scratch());
    }

    private static Iterator<FloatBatch> featureBatches(int[][] batches, float[][] features, int[] labels) {
        return new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < batches.length;
            }

            @Override
            public FloatBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return LgrTrainer.featureBatch(i, features, labels, batches[i]);
            }
        };
    }

    private static Iterator<FloatBatch> counting(Iterator<FloatBatch> it, Progress bar) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public FloatBatch next() {
                bar.step();
                return it.next();
            }
        };
    }
}
