package dev.vlltr.stage.cvlp;

import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.data.LongTailSplitJson;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.train.CvlpTrainer;
import dev.vlltr.core.train.SentenceTable;
import dev.vlltr.runtime.cli.StageContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes cvlp's declared outputs ({@link CvlpCommand#DEFINITION}) and its headline metrics. */
final class CvlpOutputs {

    private final StageContext ctx;
    private final List<String> classNames;
    private final SentenceTable table;

    CvlpOutputs(StageContext ctx, List<String> classNames, SentenceTable table) {
        this.ctx = ctx;
        this.classNames = classNames;
        this.table = table;
    }

    /**
     * @param trainer    the trained model
     * @param config     its config, with the learnt logit scale
     * @param textInputs the text tower's frozen input of every sentence row
     * @param split      the long-tailed split trained on
     * @param history    every epoch's metrics
     * @param batchSize  of the text-feature pass
     */
    void write(CvlpTrainer trainer, CvlpModelConfig config, float[][] textInputs, LongTailSplit split,
            List<Map<String, Double>> history, int batchSize) throws IOException {
        try (OutputStream out = Files.newOutputStream(ctx.output(CvlpCommand.ENCODERS))) {
            trainer.saveParameters(out);
        }
        try (OutputStream out = Files.newOutputStream(ctx.output(CvlpCommand.MODEL_CONFIG))) {
            config.write(out);
        }
        float[][] index = table.indexColumn();
        Map<String, float[][]> emb = new LinkedHashMap<>();
        // the text tower's frozen input: MiniLM vectors, or (scratch) the token ids as floats, padded with 0
        emb.put(config.tokenIds() ? "token_ids" : "embeddings", textInputs);
        emb.put("sentence_index", index);
        try (OutputStream out = Files.newOutputStream(ctx.output(CvlpCommand.SENTENCE_EMBEDDINGS))) {
            new FeatureTable(CvlpStage.CORPUS_SPLIT, classNames, table.labels(), emb).writeTo(out);
        }
        Map<String, float[][]> feats = new LinkedHashMap<>();
        feats.put(FeatureTable.FEATURES, trainer.encodeAllText(batchSize));
        feats.put("sentence_index", index);
        try (OutputStream out = Files.newOutputStream(ctx.output(CvlpCommand.TEXT_FEATURES))) {
            new FeatureTable(CvlpStage.CORPUS_SPLIT, classNames, table.labels(), feats).writeTo(out);
        }
        try (OutputStream out = Files.newOutputStream(ctx.output(CvlpCommand.SPLIT))) {
            LongTailSplitJson.write(split, out);
        }
        Path hist = ctx.output(CvlpCommand.HISTORY);
        CvlpStage.JSON.writeValue(hist.toFile(), history);
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
}
