package dev.vlltr.stage.recalibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.calibrate.BnPolicy;
import dev.vlltr.core.calibrate.LabeledFeatures;
import dev.vlltr.core.eval.PerClassAccuracy;
import dev.vlltr.core.eval.TopKAccuracy;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.OutputSpec;
import dev.vlltr.runtime.cli.StageCommand;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageDefinition;
import dev.vlltr.stagedata.StageDataset;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code recalibration}: one decoupled re-balancing method per invocation (thin wiring of {@link Recalibrator}). */
@TopCommand
@Command(name = "recalibration", mixinStandardHelpOptions = true,
        description = {"Decoupled classifier re-balancing (Kang et al., ICLR 2020) on frozen features: joint, cRT,"
                + " NCM, tau-normalisation or LWS (--param method=...), on the lgr stage's features (backbone=lgr,"
                + " default) or on a plain cross-entropy ResNet trained here (backbone=ce, the CE baseline).",
            "Reads from the lgr input: features-train.vlft, features-val.vlft, features-test.vlft (array"
                + " hidden_image by default), visual-classifier.json (tau/lws base), lgr.json (trainClassCounts).",
            "Outputs: classifier (classifier.json: method, hyper-parameters, chosen tau, weights), logits-val"
                + " (logits-val.vlft) and logits-test (logits-test.vlft): FeatureTables with array 'logits';"
                + " backbone=ce also ce-backbone (ce-backbone.params, DJL parameters of the trained network)."})
public class RecalibrationCommand extends StageCommand {

    private static final Logger LOG = LoggerFactory.getLogger(RecalibrationCommand.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static final String FORMAT = "vlltr.recalibration/1";

    static final OutputSpec CLASSIFIER = OutputSpec.of("classifier", "classifier.json", "JSON (" + FORMAT + ")",
            "method, hyper-parameters, chosen tau, BatchNorm policy, weights, val/test metrics");
    static final OutputSpec LOGITS_VAL = logits("val");
    static final OutputSpec LOGITS_TEST = logits("test");
    static final OutputSpec CE_BACKBONE = OutputSpec.of("ce-backbone", CeBackbone.PARAMS_FILE, "DJL parameters",
            "backbone=ce only: the trained plain cross-entropy ResNet").optionally();

    /** The stage's name, parameters, inputs and outputs (checked against orchestration/pipeline.yaml). */
    public static final StageDefinition DEFINITION = new StageDefinition("recalibration",
            "Decoupled classifier re-balancing: joint, cRT, NCM, tau-norm, LWS",
            RecalibrationSettings.PARAMS,
            List.of(InputSpec.optional(LgrFeatures.INPUT, "manifest of the lgr stage (features-{train,val,test}.vlft,"
                    + " visual-classifier.json, lgr.json); required unless backbone=ce")
                    .reading("features-train", "features-val", "features-test", "visual-classifier", "lgr"),
                    StageDataset.input("backbone=ce: dataset spec (dataset.yaml, file:// or s3://) the CE network"
                            + " trains on (its longTail block, overridable by max-per-class, imbalance-factor,"
                            + " val-per-class); without it the built-in spec of parameter 'dataset'")),
            List.of(CLASSIFIER, LOGITS_VAL, LOGITS_TEST, CE_BACKBONE));

    private static OutputSpec logits(String split) {
        return OutputSpec.of("logits-" + split, "logits-" + split + ".vlft", "FeatureTable (vlltr-features/1)",
                "the " + split + " split's re-balanced scores, array 'logits' [C]");
    }

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        RecalibrationSettings s = new RecalibrationSettings(ctx.params());
        String method = s.method();
        boolean sgdOnBackbone = method.equals("crt") || method.equals("lws");
        ObjectNode doc = JSON.createObjectNode();
        doc.put("format", FORMAT);
        doc.put("method", method);
        doc.put("backbone", s.backbone());
        FeatureSplits f;
        BnPolicy effective;
        String bnNote;
        Path backboneParams = null;
        if (s.backboneIsCe()) {
            boolean reestimate = sgdOnBackbone && s.bnPolicy() == BnPolicy.REESTIMATE;
            CeBackbone.Result ce = new CeBackbone(ctx, s).obtain(reestimate, s.batchSize(),
                    sgdOnBackbone ? s.schedule(method).epochs() : 0);
            f = ce.splits();
            effective = reestimate ? BnPolicy.REESTIMATE : BnPolicy.FROZEN;
            bnNote = reestimate ? "BatchNorm statistics re-estimated on class-aware batches (as many epochs as the"
                    + " method trains), then features re-extracted" : sgdOnBackbone ? "stage-1 BatchNorm statistics kept (bn-policy=frozen)"
                    : "not applicable to " + method;
            doc.set("ceBackbone", ce.record());
            ctx.headline("ce_cache_hit", ce.cacheHit() ? 1 : 0);
            backboneParams = ce.params();
        } else {
            if (!ctx.hasInput(LgrFeatures.INPUT)) {
                throw new BadInputException("input 'lgr' is required with backbone=lgr: --input lgr=<manifest of the"
                        + " lgr stage> (or --param backbone=ce for the plain CE backbone)");
            }
            boolean needUpstream = (method.equals("tau") || method.equals("lws"))
                    && s.base() == RecalibrationSettings.Base.UPSTREAM;
            f = LgrFeatures.read(ctx, s.lgrFeatureArray(), needUpstream);
            effective = BnPolicy.FROZEN;
            bnNote = sgdOnBackbone && s.bnPolicy() == BnPolicy.REESTIMATE
                    ? "requested reestimate, but the lgr features are precomputed upstream: frozen statistics"
                    : "frozen (features precomputed upstream)";
            if (sgdOnBackbone && s.bnPolicy() == BnPolicy.REESTIMATE) {
                LOG.warn("bn-policy=reestimate cannot be honoured on precomputed lgr features: BatchNorm is frozen");
            }
        }
        ObjectNode bn = doc.putObject("bnPolicy");
        bn.put("requested", s.bnPolicy().name().toLowerCase(Locale.ROOT));
        bn.put("effective", effective.name().toLowerCase(Locale.ROOT));
        bn.put("note", bnNote);
        LOG.info("{} on {} ({} train / {} val / {} test rows, D = {}, C = {})", method, f.featureName(),
                f.train().size(), f.val().size(), f.test().size(), f.train().featureDim(), f.numClasses());

        Recalibrator.Outcome out = new Recalibrator(s, (name, values) -> {
            for (int i = 0; i < values.length; i++) {
                if (Double.isFinite(values[i])) {
                    ctx.metric(name, values[i], i);
                }
            }
        }).run(f, s.backboneIsCe(), effective);
        doc.setAll(out.description());
        doc.set("classNames", JSON.valueToTree(f.classNames()));
        doc.set("trainClassCounts", JSON.valueToTree(f.trainCounts()));
        doc.set("params", JSON.valueToTree(ctx.params().asStrings()));

        float[][] valScores = out.classifier().scores(f.val().features());
        float[][] testScores = out.classifier().scores(f.test().features());
        ObjectNode metrics = doc.putObject("metrics");
        report(ctx, metrics, "val", valScores, f.val());
        report(ctx, metrics, "test", testScores, f.test());
        if (doc.has("tau")) {
            ctx.headline("tau", doc.get("tau").asDouble());
        }

        JSON.writeValue(ctx.output(CLASSIFIER).toFile(), doc);
        FeatureTables.writeLogits(ctx.output(LOGITS_VAL), "val", f.classNames(),
                f.val().labels(), valScores);
        FeatureTables.writeLogits(ctx.output(LOGITS_TEST), "test", f.classNames(),
                f.test().labels(), testScores);
        if (backboneParams != null) {
            Files.copy(backboneParams, ctx.output(CE_BACKBONE));
        }
    }

    private static void report(StageContext ctx, ObjectNode metrics, String split, float[][] scores,
            LabeledFeatures data) {
        double top1 = TopKAccuracy.of(scores, data.labels(), 1);
        double mean = PerClassAccuracy.of(scores, data.labels(), data.numClasses()).meanOverPresentClasses();
        metrics.put(split + "_top1", top1);
        metrics.put(split + "_mean_class_acc", mean);
        ctx.headline(split + "_top1", top1);
        ctx.headline(split + "_mean_class_acc", mean);
        LOG.info("{}: top-1 {}, mean class accuracy {}", split, CeBackbone.fmt(top1), CeBackbone.fmt(mean));
    }
}
