package dev.vlltr.stage.cvlp;

import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.stagedata.StageDataset;
import dev.vlltr.runtime.cli.OutputSpec;
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
                + " automatically)."})
public class CvlpCommand extends StageCommand {

    /** The input with an earlier cvlp run as the distillation teacher. */
    static final String TEACHER = "teacher";
    /** The optional input with a CLIP-like TorchScript teacher bundle (exclusive with {@code teacher}). */
    static final String TORCHSCRIPT_TEACHER = "teacher-torchscript";

    static final OutputSpec ENCODERS = OutputSpec.of("encoders", "cvlp-encoders.params", "DJL parameters",
            "the whole CVLP model (image tower, text tower, logit scale)");
    static final OutputSpec MODEL_CONFIG = OutputSpec.of("model-config", "model-config.json",
            "JSON (vlltr.cvlp-model/1)", "architecture, text encoder, logit scale, classes, normalisation");
    static final OutputSpec SENTENCE_EMBEDDINGS = OutputSpec.of("sentence-embeddings", "sentence-embeddings.vlft",
            "FeatureTable (vlltr-features/1)", "the text tower's frozen input of every corpus sentence: MiniLM"
                    + " vectors (array embeddings), or with text-encoder=scratch its token ids (array token_ids)");
    static final OutputSpec TEXT_FEATURES = OutputSpec.of("text-features", "text-features.vlft",
            "FeatureTable (vlltr-features/1)", "the trained text tower's unnormalised feature of every corpus"
                    + " sentence");
    static final OutputSpec SPLIT = OutputSpec.of("split", "long-tail-split.json", "JSON",
            "the long-tailed train subset and the balanced validation split");
    static final OutputSpec HISTORY = OutputSpec.of("history", "history.json", "JSON",
            "per-epoch metrics: lr, losses, logit scale, zero-shot and retrieval accuracy on val");

    /** The stage's name, parameters, inputs and outputs (checked against orchestration/pipeline.yaml). */
    public static final StageDefinition DEFINITION = new StageDefinition("cvlp",
            "Contrastive vision-language pre-training (VL-LTR stage 1)",
            CvlpSettings.PARAMS,
            List.of(InputSpec.required("corpus", "manifest of the text-crawl stage (its output 'corpus',"
                            + " corpus.jsonl: one JSON object per class {classId, name, sources, sentences})")
                            .reading("corpus"),
                    InputSpec.optional(TEACHER, "manifest of an earlier cvlp run whose model is the distillation"
                            + " teacher (L_dis); either text encoder (it gets its own text input for each sentence)")
                            .reading(MODEL_CONFIG.name(), ENCODERS.name()),
                    InputSpec.optional(TORCHSCRIPT_TEACHER, "folder URI (ending with '/') of a CLIP-like"
                            + " TorchScript teacher bundle for L_dis: model.pt (forward(image, text) ->"
                            + " logits_per_image, logits_per_text), tokenizer.json (Hugging Face tokenizers),"
                            + " teacher.json (imageSize, channels, mean, std, contextLength, padId, eotId);"
                            + " exclusive with 'teacher'"),
                    StageDataset.input("dataset spec (dataset.yaml, file:// or s3://): classes, splits, images, image"
                            + " geometry and the long tail to draw; its digest covers the spec and the files it names."
                            + " Without it: parameter 'dataset' (a shipped Fashion-MNIST spec by name)")),
            List.of(ENCODERS, MODEL_CONFIG, SENTENCE_EMBEDDINGS, TEXT_FEATURES, SPLIT, HISTORY));

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        new CvlpStage(ctx, new CvlpSettings(ctx.params())).run();
    }
}
