package dev.vlltr.stage.anchors;

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
    public static final List<ParamSpec> PARAMS = AnchorSelectionSettings.PARAMS;

    /** The stage's name, parameters, inputs and outputs (checked against orchestration/pipeline.yaml). */
    public static final StageDefinition DEFINITION = new StageDefinition("anchor-selection",
            "Anchor sentence selection (VL-LTR AnSS)", PARAMS,
            List.of(InputSpec.required("cvlp", "manifest of the cvlp stage (encoders, model-config, text-features,"
                            + " split)").reading("encoders", "model-config", "text-features", "split"),
                    InputSpec.required("corpus", "manifest of the text-crawl stage the cvlp run used (sentence"
                            + " texts; its digest must match the CVLP model config)").reading("corpus"),
                    StageDataset.input("dataset spec (dataset.yaml, file:// or s3://) the cvlp run was trained on:"
                            + " the images of its split; without it the built-in Fashion-MNIST (parameter 'data-dir')")),
            List.of(OutputSpec.of("anchors", "anchors.json", "JSON", "the selected anchor sentences of every class"
                            + " with their AnSS scores"),
                    OutputSpec.of("anchor-embeddings", "anchor-embeddings.vlft", "FeatureTable (vlltr-features/1)",
                            "M rows per class, class-major: CVLP text features of the anchors, array mask 1 for"
                                    + " real rows (real rows first)")));

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        new AnchorSelectionStage(ctx, new AnchorSelectionSettings(ctx.params())).run();
    }
}
