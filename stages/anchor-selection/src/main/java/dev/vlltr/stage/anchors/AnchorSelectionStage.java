package dev.vlltr.stage.anchors;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.data.ImageSet;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.data.LongTailSplitJson;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.text.ClassCorpusEntry;
import dev.vlltr.core.text.CorpusJsonl;
import dev.vlltr.core.train.AnchorSentenceSelection;
import dev.vlltr.core.train.ImageEmbedder;
import dev.vlltr.core.train.LongTailData;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.stagedata.StageDataset;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One execution of anchor-selection: CVLP features of the split's images, sentence scores, choice, outputs. */
final class AnchorSelectionStage {

    private static final Logger LOG = LoggerFactory.getLogger(AnchorSelectionStage.class);
    static final String FORMAT = "vlltr.anchors/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final StageContext ctx;
    private final AnchorSelectionSettings s;

    AnchorSelectionStage(StageContext ctx, AnchorSelectionSettings settings) {
        this.ctx = ctx;
        this.s = settings;
    }

    void run() throws Exception {
        int m = s.m();
        int perClass = s.imagesPerClass();
        AnchorSentenceSelection.Strategy strategy = s.strategy();

        CvlpModelConfig config = readConfig();
        FeatureTable text = readTable(ctx.fetchUpstreamOutput("cvlp", "text-features"), "text-features.vlft");
        List<ClassCorpusEntry> corpus = readCorpus(config);
        if (!text.classNames().equals(config.classNames())) {
            throw new BadInputException("input 'cvlp': text-features.vlft and model-config.json disagree on the"
                    + " class names");
        }
        int numClasses = config.classNames().size();
        float[][] textFeatures = text.array(FeatureTable.FEATURES);
        float[][] sentenceIndex = text.array("sentence_index");

        // ---- images of the split, first N per class in list order
        Path splitFile = ctx.fetchUpstreamOutput("cvlp", "split");
        LongTailSplit split;
        try (InputStream in = Files.newInputStream(splitFile)) {
            split = LongTailSplitJson.read(in, "input 'cvlp' (long-tail-split.json)");
        }
        StageDataset dataset = StageDataset.load(StageDataset.locate(ctx, null, s.dataDir()), s.splits(), split,
                "input 'cvlp' (long-tail-split.json)");
        dataset.requireShape(config.imageChannels(), config.imageHeight(), config.imageWidth(),
                "input 'cvlp' (model-config.json)");
        LongTailData data = dataset.data();
        ImageSet images = s.onValidation() ? data.val() : data.train();
        int[] chosen = AnchorSentenceSelection.firstPerClass(images.labels(), numClasses, perClass);
        int[] chosenLabels = new int[chosen.length];
        for (int i = 0; i < chosen.length; i++) {
            chosenLabels[i] = images.label(chosen[i]);
        }
        double[] scores;
        try (NDManager manager = NDManager.newBaseManager()) {
            CvlpModel model;
            Path params = ctx.fetchUpstreamOutput("cvlp", "encoders");
            try (InputStream in = Files.newInputStream(params)) {
                model = config.load(manager, in, "input 'cvlp' (cvlp-encoders.params)");
            } catch (IOException e) {
                throw new BadInputException(e.getMessage());
            }
            float[][] imageFeatures = ImageEmbedder.embed(model.getVision(), manager, images, chosen,
                    dataset.evalAugmentation(), s.evalBatchSize());
            scores = AnchorSentenceSelection.scores(textFeatures, text.labels(), imageFeatures, chosenLabels,
                    config.logitScale());
        }
        List<AnchorSentenceSelection.ClassAnchors> anchors = AnchorSentenceSelection.select(strategy, text.labels(),
                scores, numClasses, m, s.seed());
        writeAnchors(anchors, corpus, config, text, sentenceIndex, scores, m, chosen.length);
        writeMemory(anchors, textFeatures, sentenceIndex, config.classNames(), m);

        double all = 0;
        for (double s : scores) {
            all += s;
        }
        double sel = 0;
        int count = 0;
        int min = Integer.MAX_VALUE;
        for (var a : anchors) {
            for (double s : a.scores()) {
                sel += s;
            }
            count += a.rows().length;
            min = Math.min(min, a.rows().length);
        }
        ctx.headline("images_scored", chosen.length);
        ctx.headline("sentences_scored", scores.length);
        ctx.headline("anchors_total", count);
        ctx.headline("anchors_min_per_class", min);
        ctx.headline("mean_score_all", all / scores.length);
        ctx.headline("mean_score_selected", sel / count);
        for (var a : anchors) {
            ctx.metric("anchors_per_class", a.rows().length, a.classId());
        }
        LOG.info("{}: {} anchors (min {} per class), mean score {} selected vs {} all", strategy, count, min,
                sel / count, all / scores.length);
    }

    private CvlpModelConfig readConfig() throws IOException {
        Path file = ctx.fetchUpstreamOutput("cvlp", "model-config");
        try (InputStream in = Files.newInputStream(file)) {
            return CvlpModelConfig.read(in, "input 'cvlp' (model-config.json)");
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    static FeatureTable readTable(Path file, String name) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return FeatureTable.readFrom(in, "input 'cvlp' (" + name + ")");
        } catch (IOException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private List<ClassCorpusEntry> readCorpus(CvlpModelConfig config) throws IOException {
        String sha = ctx.inputManifest("corpus").output("corpus").sha256();
        if (!sha.equals(config.corpusSha256())) {
            throw new BadInputException("input 'corpus': its corpus.jsonl (sha256 " + sha + ") is not the corpus the"
                    + " cvlp model was trained on (model-config.json corpusSha256 " + config.corpusSha256() + ")");
        }
        try (InputStream in = Files.newInputStream(ctx.fetchUpstreamOutput("corpus", "corpus"))) {
            return CorpusJsonl.readAll(in, "input 'corpus' (corpus.jsonl)");
        }
    }

    private void writeAnchors(List<AnchorSentenceSelection.ClassAnchors> anchors, List<ClassCorpusEntry> corpus,
            CvlpModelConfig config, FeatureTable text, float[][] sentenceIndex, double[] scores, int m,
            int imagesUsed) throws IOException {
        Map<Integer, ClassCorpusEntry> byId = new LinkedHashMap<>();
        corpus.forEach(e -> byId.put(e.classId(), e));
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("strategy", s.strategyName());
        root.put("m", m);
        root.put("split", s.split());
        root.put("imagesPerClass", s.imagesPerClass());
        root.put("imagesScored", imagesUsed);
        root.put("logitScale", config.logitScale());
        root.put("embedDim", config.embedDim());
        root.put("corpusSha256", config.corpusSha256());
        root.put("scoreDefinition", "soft-target CE of the sentence's logits exp(theta)*cos(t, img_k) over all scored"
                + " images, target uniform over the images of its class; lower is better");
        ArrayNode classes = root.putArray("classes");
        for (var a : anchors) {
            ObjectNode c = classes.addObject();
            c.put("classId", a.classId());
            c.put("name", config.classNames().get(a.classId()));
            c.put("count", a.rows().length);
            ArrayNode list = c.putArray("sentences");
            for (int i = 0; i < a.rows().length; i++) {
                int row = a.rows()[i];
                int index = (int) sentenceIndex[row][0];
                ObjectNode s = list.addObject();
                s.put("id", a.classId() + "/" + index);
                s.put("row", row);
                s.put("score", a.scores()[i]);
                ClassCorpusEntry e = byId.get(a.classId());
                if (e == null || index >= e.sentences().size()) {
                    throw new BadInputException("input 'corpus': class " + a.classId() + " has no sentence " + index
                            + " although the cvlp text features list it");
                }
                s.put("text", e.sentences().get(index).text());
            }
        }
        try (OutputStream out = Files.newOutputStream(ctx.output("anchors", "anchors.json"))) {
            JSON.writeValue(out, root);
        }
    }

    private void writeMemory(List<AnchorSentenceSelection.ClassAnchors> anchors, float[][] textFeatures,
            float[][] sentenceIndex, List<String> classNames, int m) throws IOException {
        int c = anchors.size();
        int d = textFeatures[0].length;
        int[] labels = new int[c * m];
        float[][] features = new float[c * m][];
        float[][] mask = new float[c * m][];
        float[][] index = new float[c * m][];
        for (var a : anchors) {
            for (int j = 0; j < m; j++) {
                int r = a.classId() * m + j;
                labels[r] = a.classId();
                boolean real = j < a.rows().length;
                features[r] = real ? textFeatures[a.rows()[j]].clone() : new float[d];
                mask[r] = new float[] {real ? 1f : 0f};
                index[r] = new float[] {real ? sentenceIndex[a.rows()[j]][0] : -1f};
            }
        }
        Map<String, float[][]> arrays = new LinkedHashMap<>();
        arrays.put(FeatureTable.FEATURES, features);
        arrays.put("mask", mask);
        arrays.put("sentence_index", index);
        try (OutputStream out = Files.newOutputStream(ctx.output("anchor-embeddings", "anchor-embeddings.vlft"))) {
            new FeatureTable("anchors", classNames, labels, arrays).writeTo(out);
        }
    }
}
