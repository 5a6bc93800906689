package dev.vlltr.stage.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.eval.EvaluationReport;
import dev.vlltr.core.eval.Evaluator;
import dev.vlltr.core.eval.ReliabilityBin;
import dev.vlltr.registry.client.RegistryClient;
import dev.vlltr.registry.client.VersionInfo;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.CodeVersion;
import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageCommand;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageDefinition;
import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.StageManifest;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** {@code evaluation}: the comparison of every model of a run, its report, and the registration record. */
@TopCommand
@Command(name = "evaluation", mixinStandardHelpOptions = true,
        description = {"Evaluates every model of a pipeline run on the same validation and test splits: LGR (α-mix,"
                + " argmax(P^I+P^T), each branch) from the lgr input and each recalibration method from"
                + " recalibration-<method>: top-1/top-5, many/medium/few under the Decoupling convention (n > 100,"
                + " n < 20, mean of per-class accuracies), the VL-LTR convention (n >= 100, n <= 20, pooled) and class"
                + " terciles, per-class accuracy, confusion matrix, ECE.",
            "Outputs: comparison (comparison.csv), comparison-md (comparison.md), metrics (metrics.json: every row,"
                + " both splits, per class, reliability bins, confusion), per-class-accuracy (per-class-accuracy.png),"
                + " reliability (reliability.png), confusion-matrix (confusion-matrix.png), shot-splits"
                + " (shot-splits.png), report (report.html, self-contained), registration (registration.json: the"
                + " selected model with metrics and lineage for the registry client).",
            "Registration: with register=true and $VLLTR_REGISTRY_URL (+ $VLLTR_REGISTRY_API_KEY, role writer) set, the"
                + " selected row is registered as a new version of model-name (idempotent per run); without the URL:"
                + " 'registry not configured; registration skipped'."})
public class EvaluationCommand extends StageCommand {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluationCommand.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.string("model-name", "vl-ltr", "Registry model name of the selected row"),
            ParamSpec.bool("register", true, "Register the selected row with the model registry ($VLLTR_REGISTRY_URL)"),
            ParamSpec.string("select-metric", ModelSelection.DEFAULT_METRIC, "Metric that selects the row to"
                    + " register: <val|test>/<key>, e.g. val/top1 (overall val accuracy), val/mean_class_acc,"
                    + " val/terciles/few_acc"),
            ParamSpec.integer("ece-bins", 15, "Equal-width confidence bins of the ECE and the reliability diagram"));

    /**
     * The stage's name, parameters and inputs: lgr, one optional input per recalibration method (the pipeline's
     * fan-in) and one per method for CE-backbone runs (baselines beside them; not wired by the pipeline).
     */
    public static final StageDefinition DEFINITION = new StageDefinition("evaluation",
            "Comparison table, shot splits, calibration, plots, HTML report and registration record", PARAMS,
            inputs());

    private static List<InputSpec> inputs() {
        List<InputSpec> in = new ArrayList<>();
        in.add(InputSpec.optional(RowLoader.LGR, "manifest of the lgr stage (features-val/test.vlft with"
                + " logits_image and logits_text, lgr.json with alpha and trainClassCounts)"));
        for (String m : RowLoader.METHODS) {
            in.add(InputSpec.optional(RowLoader.recalibrationInput(m), "manifest of the recalibration stage run"
                    + " with method=" + m + " (classifier.json, logits-val.vlft, logits-test.vlft)"));
        }
        for (String m : RowLoader.METHODS) {
            in.add(InputSpec.optional(RowLoader.ceRecalibrationInput(m), "manifest of a recalibration run with"
                    + " method=" + m + " and backbone=ce: the plain CE baseline as extra rows next to the"
                    + " recalibration-" + m + " of LGR's features"));
        }
        return in;
    }

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        int bins = ctx.params().integer("ece-bins");
        if (bins < 1) {
            throw new BadInputException("parameter 'ece-bins': expected >= 1, got " + bins);
        }
        String metric = ctx.params().string("select-metric").strip();
        for (String m : RowLoader.METHODS) {
            // a recalibration of LGR's features must have recalibrated this lgr's features (exit 2 otherwise)
            ctx.requireSameUpstream(RowLoader.recalibrationInput(m), RowLoader.LGR);
        }
        RowLoader.Loaded loaded = new RowLoader(ctx).load();
        Evaluator logits = Evaluator.builder().setTrainClassCounts(loaded.trainCounts()).optCalibrationBins(bins)
                .build();
        Evaluator probs = Evaluator.builder().setTrainClassCounts(loaded.trainCounts()).optCalibrationBins(bins)
                .optScoresAreProbabilities(true).build();
        List<RowResult> results = new ArrayList<>();
        for (ModelRow row : loaded.rows()) {
            Evaluator ev = row.probabilities() ? probs : logits;
            results.add(new RowResult(row, ev.evaluate(row.val(), loaded.valLabels()),
                    ev.evaluate(row.test(), loaded.testLabels())));
        }
        ModelSelection.Choice choice = ModelSelection.select(results, metric);
        if (metric.startsWith("test/")) {
            LOG.warn("select-metric={} chooses the model on the test split: the test numbers of the selected row"
                    + " are then optimistic", metric);
        }
        ComparisonTable table = new ComparisonTable(results);
        LOG.info("comparison (test, %):\n{}", table.markdown());
        LOG.info("selected {} ({} = {})", choice.row().row().name(), metric, choice.value());

        for (RowResult r : results) {
            for (Map.Entry<String, Double> m : r.test().toMetrics().entrySet()) {
                ctx.metric(r.row().key() + "/test/" + m.getKey(), m.getValue(), 0);
            }
            for (Map.Entry<String, Double> m : r.val().toMetrics().entrySet()) {
                ctx.metric(r.row().key() + "/val/" + m.getKey(), m.getValue(), 0);
            }
        }
        ctx.headline("rows", results.size());
        choice.row().test().toMetrics().forEach((k, v) -> ctx.headline("selected/test/" + k, v));
        ctx.headline("selected/val/top1", choice.row().val().top1());

        write(ctx, "comparison", "comparison.csv", utf8(table.csv()));
        write(ctx, "comparison-md", "comparison.md", utf8(table.markdown()));
        write(ctx, "metrics", "metrics.json", JSON.writeValueAsBytes(metricsDocument(results, loaded, choice)));

        ReportWriter.Figures fig = ReportWriter.figures(results, choice, loaded.classNames(), loaded.trainCounts());
        write(ctx, "per-class-accuracy", "per-class-accuracy.png", fig.perClass());
        write(ctx, "reliability", "reliability.png", fig.reliability());
        if (fig.confusion() != null) {
            write(ctx, "confusion-matrix", "confusion-matrix.png", fig.confusion());
        }
        write(ctx, "shot-splits", "shot-splits.png", fig.shots());

        Registration registration = Registration.decide(ctx.params().bool("register"),
                System.getenv("VLLTR_REGISTRY_URL"));
        Map<String, Map<String, String>> inputs = new LinkedHashMap<>();
        Map<String, Map<String, String>> upstream = new LinkedHashMap<>();
        Map<String, String> inputUris = new LinkedHashMap<>();
        for (String name : inputNames(ctx)) {
            ArtifactRef ref = ctx.input(name);
            inputs.put(name, Map.of("uri", ref.uri().toString(), "sha256", ref.sha256()));
            inputUris.put(name, ref.uri().toString());
            StageManifest m = ctx.inputManifest(name);
            Map<String, String> u = new LinkedHashMap<>();
            u.put("stage", m.stage());
            u.put("runId", m.runId());
            u.put("codeVersion", String.valueOf(m.codeVersion()));
            u.put("fingerprint", String.valueOf(m.fingerprint()));
            upstream.put(name, u);
        }
        Map<String, String> rowFiles = new LinkedHashMap<>();
        String prefix = choice.row().row().input() + ":";
        loaded.sources().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                rowFiles.put(k, v);
            }
        });
        List<StageManifest> inputManifests = new ArrayList<>();
        for (String name : inputNames(ctx)) {
            inputManifests.add(ctx.inputManifest(name));
        }
        RegistrationCandidate candidate = new RegistrationCandidate(ctx.params().string("model-name"), ctx.runId(),
                CodeVersion.get(), choice, loaded.classNames(), loaded.trainCounts(), inputs, upstream, rowFiles,
                registration, ctx.trackingRunId().orElse(null), UpstreamLineage.walk(ctx.store(), inputManifests));
        if (registration.requested() && registration.url() == null) {
            LOG.warn(Registration.NOT_CONFIGURED);
        } else if (registration.requested()) {
            RegistryClient client = RegistryClient.fromEnvironment().orElseThrow();
            VersionInfo version = RegistrySubmission.submit(candidate, client);
            LOG.info("registered {} as {} version {} at {}", choice.row().row().name(), version.model(),
                    version.version(), registration.url());
            ctx.headline("registered_version", version.version());
            registration = RegistrySubmission.registered(registration, version);
            candidate = candidate.withRegistry(registration);
        }
        write(ctx, "registration", "registration.json", JSON.writeValueAsBytes(candidate.toJson()));

        write(ctx, "report", "report.html", ReportWriter.html(ctx.runId(), results, table, choice,
                loaded.classNames(), loaded.trainCounts(), fig, registration, inputUris));
    }

    /** Writes an output and attaches it to the tracking run. */
    private static void write(StageContext ctx, String name, String fileName, byte[] content) throws java.io.IOException {
        Path file = ctx.output(name, fileName);
        Files.write(file, content);
        ctx.trackArtifact(file);
    }

    private static List<String> inputNames(StageContext ctx) {
        List<String> names = new ArrayList<>();
        for (InputSpec in : DEFINITION.inputs()) {
            if (ctx.hasInput(in.name())) {
                names.add(in.name());
            }
        }
        return names;
    }

    private static ObjectNode metricsDocument(List<RowResult> results, RowLoader.Loaded loaded,
            ModelSelection.Choice choice) {
        ObjectNode root = JSON.createObjectNode();
        root.set("classNames", JSON.valueToTree(loaded.classNames()));
        root.set("trainClassCounts", JSON.valueToTree(loaded.trainCounts()));
        root.put("selected", choice.row().row().key());
        root.put("selectMetric", choice.metric());
        ArrayNode rows = root.putArray("rows");
        for (RowResult r : results) {
            ObjectNode o = rows.addObject();
            o.put("key", r.row().key());
            o.put("name", r.row().name());
            o.put("method", r.row().method());
            o.put("backbone", r.row().backbone());
            o.put("input", r.row().input());
            o.set("details", JSON.valueToTree(r.row().details()));
            o.set("val", split(r.val()));
            o.set("test", split(r.test()));
        }
        return root;
    }

    private static ObjectNode split(EvaluationReport r) {
        ObjectNode o = JSON.createObjectNode();
        o.set("metrics", JSON.valueToTree(r.toMetrics()));
        o.set("shotSplits", RegistrationCandidate.shots(r));
        o.set("perClassAccuracy", JSON.valueToTree(r.perClass().accuracies()));
        o.set("perClassCount", JSON.valueToTree(r.perClass().total()));
        ArrayNode bins = o.putArray("reliability");
        for (ReliabilityBin b : r.calibration().bins()) {
            ObjectNode bn = bins.addObject();
            bn.put("lower", b.lower());
            bn.put("upper", b.upper());
            bn.put("count", b.count());
            if (b.count() > 0) {
                bn.put("accuracy", b.accuracy());
                bn.put("confidence", b.meanConfidence());
            }
        }
        if (r.confusion() != null) {
            o.set("confusion", JSON.valueToTree(r.confusion().counts()));
        }
        return o;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
