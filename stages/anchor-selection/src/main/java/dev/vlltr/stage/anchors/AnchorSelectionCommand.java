package dev.vlltr.stage.anchors;

import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageCommand;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageDefinition;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code anchor-selection}: the M anchor sentences per class for LGR (thin wiring of {@link AnchorSelectionStage}). */
@TopCommand
@Command(name = "anchor-selection", mixinStandardHelpOptions = true,
        description = {"Anchor Sentence Selection (VL-LTR AnSS): scores every corpus sentence of class c by its"
                + " text-to-image soft-target cross-entropy against the first images-per-class images of each class"
                + " of the chosen split (CVLP features, logit scale of the CVLP model) and keeps the M lowest;"
                + " cutoff (first M in corpus order) and random are the ablation baselines.",
            "Outputs: anchors (anchors.json: per class the selected sentence ids, texts and scores, and the count),"
                + " anchor-embeddings (anchor-embeddings.vlft: the C x M x D text memory, class-major rows, arrays"
                + " 'features', 'mask', 'sentence_index')."})
public class AnchorSelectionCommand extends StageCommand {

    /** Every parameter, in {@code --help} order. */
    public static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.integer("m", 64, "Anchor sentences per class M (official 64); classes with fewer keep all,"
                    + " padded and masked"),
            ParamSpec.choice("strategy", "anss", "anss (official: the M lowest AnSS scores), cutoff (the first M in"
                    + " corpus order) or random (M drawn without replacement, seeded).", "anss", "cutoff", "random"),
            ParamSpec.choice("split", "val", "Images the sentences are scored against: val (official ImageNet-LT /"
                    + " Places-LT: the balanced validation split) or train (iNat).", "train", "val"),
            ParamSpec.integer("images-per-class", 50, "First N images of each class of the split, in list order"
                    + " (official select=True: 50)"),
            ParamSpec.integer("seed", 0, "Seed of the random strategy"),
            ParamSpec.string("data-dir", "", "Folder with the Fashion-MNIST IDX files (empty: Debian package or"
                    + " cache)"),
            ParamSpec.integer("eval-batch-size", 256, "Batch size of image feature extraction"));

    /** The stage's name, parameters and inputs (checked against orchestration/pipeline.yaml). */
    public static final StageDefinition DEFINITION = new StageDefinition("anchor-selection",
            "Anchor sentence selection (VL-LTR AnSS)", PARAMS,
            List.of(InputSpec.required("cvlp", "manifest of the cvlp stage (encoders, model-config, text-features,"
                            + " split)"),
                    InputSpec.required("corpus", "manifest of the text-crawl stage the cvlp run used (sentence"
                            + " texts; its digest must match the CVLP model config)")));

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        new AnchorSelectionStage(ctx).run();
    }
}
