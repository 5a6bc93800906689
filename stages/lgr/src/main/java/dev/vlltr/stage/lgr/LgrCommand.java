package dev.vlltr.stage.lgr;

import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageCommand;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageDefinition;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code lgr}: VL-LTR stage 2, the language-guided recognition head (thin wiring of {@link LgrStage}). */
@TopCommand
@Command(name = "lgr", mixinStandardHelpOptions = true,
        description = {"Language-guided recognition (VL-LTR LGR): on the frozen CVLP image tower, a two-branch head —"
                + " P^T = cos(f, attention over the class's anchor sentences) x exp(theta), P^I = MLP D -> 4D -> C —"
                + " trained with CE(P^I) + CE(P^T); prediction alpha softmax(P^I) + (1 - alpha) softmax(P^T), and"
                + " argmax(P^I + P^T) reported too.",
            "Outputs: features-train/-val/-test (features-<split>.vlft: arrays features [D], hidden_image [4D],"
                + " logits_image [C], logits_text [C]), visual-classifier (visual-classifier.json: P^I's last Linear"
                + " over hidden_image), lgr (lgr.json: alpha, classNames, trainClassCounts, logitScale, ...), head"
                + " (lgr-head.params: DJL parameters of the head, text memory included), history (history.json)."})
public class LgrCommand extends StageCommand {

    /** Every parameter, in {@code --help} order. */
    public static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.decimal("alpha", 0.2, "Weight of softmax(P^I) in the prediction (official 0.2; 0.7 for iNat)"),
            ParamSpec.integer("epochs", 10, "Training epochs (official ImageNet-LT: 50)"),
            ParamSpec.decimal("lr", 1.0E-3, "Peak AdamW learning rate of the MLP (official ImageNet-LT 1e-3)"),
            ParamSpec.bool("freeze-attention", false, "Freeze LN_q, LN_k, W_q, W_k at their identity init (official:"
                    + " trained at attention-lr 1e-6, i.e. almost frozen)"),
            ParamSpec.integer("seed", 0, "Seed of initialisation, sampling, augmentation and Mixup/CutMix"),
            ParamSpec.choice("input", "images", "images (official: augmented images through the frozen backbone in"
                    + " inference mode) or features (deviation for CPU speed: cached frozen features of the"
                    + " un-augmented train images; Mixup/CutMix are then off).", "images", "features"),
            ParamSpec.integer("batch-size", 128, "Batch size (official 128 per GPU)"),
            ParamSpec.choice("sampler", "sqrt", "Train sampler: sqrt (official), instance or class-balanced.",
                    "instance", "sqrt", "class-balanced"),
            ParamSpec.decimal("attention-lr", 1.0E-6, "Learning rate of the attention group (official text_lr 1e-6),"
                    + " scaled by the same cosine"),
            ParamSpec.decimal("weight-decay", 0.05, "AdamW weight decay (none on biases and norms)"),
            ParamSpec.decimal("min-lr", 1.0E-5, "Floor of the cosine (official default 1e-5)"),
            ParamSpec.integer("warmup-epochs", 0, "Warm-up epochs (official LGR: 0)"),
            ParamSpec.decimal("mixup", 0.8, "Mixup alpha (official timm default 0.8; 0 = off)"),
            ParamSpec.decimal("cutmix", 1.0, "CutMix alpha (official 1.0; 0 = off)"),
            ParamSpec.decimal("smoothing", 0.1, "Label smoothing (official 0.1)"),
            ParamSpec.bool("text-branch", true, "Train the language branch (false: CE(P^I) only, the no-language"
                    + " ablation; predictions then use P^I alone)"),
            ParamSpec.string("data-dir", "", "Folder with the Fashion-MNIST IDX files (empty: Debian package or"
                    + " cache)"),
            ParamSpec.integer("eval-batch-size", 256, "Batch size of feature extraction"),
            ParamSpec.integer("loader-threads", 1, "Background threads assembling augmented batches"));

    /** The stage's name, parameters and inputs (checked against orchestration/pipeline.yaml). */
    public static final StageDefinition DEFINITION = new StageDefinition("lgr",
            "Language-guided recognition head (VL-LTR stage 2)", PARAMS,
            List.of(InputSpec.required("cvlp", "manifest of the cvlp stage (encoders, model-config, split)"),
                    InputSpec.required("anchors", "manifest of the anchor-selection stage (anchor-embeddings)")));

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        // the anchors' text memory must come from the same CVLP model as the image tower (exit 2 otherwise)
        ctx.requireSameUpstream("anchors", "cvlp");
        new LgrStage(ctx).run();
    }
}
