package dev.vlltr.stage.lgr;

import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.OutputSpec;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageCommand;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageDefinition;
import dev.vlltr.stagedata.StageDataset;
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
            "Per split, features-<split>.vlft holds the head's input and outputs (arrays features [D], hidden_image"
                + " [4D], logits_image [C], logits_text [C]); the outputs are listed below."})
public class LgrCommand extends StageCommand {

    /** Every parameter, in {@code --help} order. */
    public static final List<ParamSpec> PARAMS = LgrSettings.PARAMS;

    static final OutputSpec FEATURES_TRAIN = features("train");
    static final OutputSpec FEATURES_VAL = features("val");
    static final OutputSpec FEATURES_TEST = features("test");
    static final OutputSpec VISUAL_CLASSIFIER = OutputSpec.of("visual-classifier", "visual-classifier.json", "JSON",
            "P^I's last Linear over hidden_image: input, weight (C x 4D), bias (C)");
    static final OutputSpec LGR = OutputSpec.of("lgr", "lgr.json", "JSON (vlltr.lgr/1)",
            "alpha, classNames, trainClassCounts, logitScale, feature and anchor sizes, input, prediction rule");
    static final OutputSpec HEAD = OutputSpec.of("head", "lgr-head.params", "DJL parameters",
            "the trained head, text memory, mask and logit scale included");
    static final OutputSpec HISTORY = OutputSpec.of("history", "history.json", "JSON",
            "per-epoch metrics: lr, losses, validation top-1 of every prediction");

    /** The stage's name, parameters, inputs and outputs (checked against orchestration/pipeline.yaml). */
    public static final StageDefinition DEFINITION = new StageDefinition("lgr",
            "Language-guided recognition head (VL-LTR stage 2)", PARAMS,
            List.of(InputSpec.required("cvlp", "manifest of the cvlp stage (encoders, model-config, split)")
                            .reading("encoders", "model-config", "split"),
                    InputSpec.required("anchors", "manifest of the anchor-selection stage (anchor-embeddings)")
                            .reading("anchor-embeddings"),
                    StageDataset.input("dataset spec (dataset.yaml, file:// or s3://) the cvlp run was trained on: the"
                            + " images of its split; without it the built-in Fashion-MNIST (parameter 'data-dir')")),
            List.of(FEATURES_TRAIN, FEATURES_VAL, FEATURES_TEST, VISUAL_CLASSIFIER, LGR, HEAD, HISTORY));

    private static OutputSpec features(String split) {
        return OutputSpec.of("features-" + split, "features-" + split + ".vlft", "FeatureTable (vlltr-features/1)",
                "the " + split + " split: frozen features, hidden_image, logits_image (P^I), logits_text (P^T)");
    }

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        // the anchors' text memory must come from the same CVLP model as the image tower (exit 2 otherwise)
        ctx.requireSameUpstream("anchors", "cvlp");
        new LgrStage(ctx, new LgrSettings(ctx.params())).run();
    }
}
