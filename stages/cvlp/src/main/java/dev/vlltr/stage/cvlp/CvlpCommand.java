package dev.vlltr.stage.cvlp;

import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.StageCommand;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageDefinition;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code cvlp}: VL-LTR stage 1, contrastive vision-language pre-training (thin wiring of {@link CvlpStage}). */
@TopCommand
@Command(name = "cvlp", mixinStandardHelpOptions = true,
        description = {"Class-wise contrastive vision-language pre-training (VL-LTR CVLP) on the long-tailed train"
                + " subset: a CIFAR-style ResNet image tower and a text MLP over frozen all-MiniLM-L6-v2 sentence"
                + " embeddings (text-encoder=scratch: a word-level Transformer trained from scratch instead, the"
                + " 'no pretrained language' ablation), each image paired with one random sentence of its class,"
                + " loss lambda L_ccl + (1 - lambda) L_dis, AdamW + cosine schedule, a checkpoint per epoch (resumed"
                + " automatically).",
            "Outputs: encoders (cvlp-encoders.params, DJL parameters of the whole CVLP model), model-config"
                + " (model-config.json), sentence-embeddings (sentence-embeddings.vlft: frozen MiniLM vector of"
                + " every corpus sentence; with text-encoder=scratch its token ids instead, array token_ids),"
                + " text-features (text-features.vlft: the trained text tower's unnormalised feature of every corpus"
                + " sentence), split (long-tail-split.json), history (history.json)."})
public class CvlpCommand extends StageCommand {

    /** The stage's name, parameters and inputs (checked against orchestration/pipeline.yaml). */
    public static final StageDefinition DEFINITION = new StageDefinition("cvlp",
            "Contrastive vision-language pre-training (VL-LTR stage 1)",
            CvlpSettings.PARAMS,
            List.of(InputSpec.required("corpus", "manifest of the text-crawl stage (its output 'corpus',"
                            + " corpus.jsonl: one JSON object per class {classId, name, sources, sentences})"),
                    InputSpec.optional("teacher", "manifest of an earlier cvlp run whose model is the distillation"
                            + " teacher (L_dis); either text encoder (it gets its own text input for each sentence)"),
                    InputSpec.optional(CvlpStage.TORCHSCRIPT_TEACHER, "folder URI (ending with '/') of a CLIP-like"
                            + " TorchScript teacher bundle for L_dis: model.pt (forward(image, text) ->"
                            + " logits_per_image, logits_per_text), tokenizer.json (Hugging Face tokenizers),"
                            + " teacher.json (imageSize, channels, mean, std, contextLength, padId, eotId);"
                            + " exclusive with 'teacher'")));

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        new CvlpStage(ctx, new CvlpSettings(ctx.params())).run();
    }
}
