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
import dev.vlltr.runtime.cli.CodeVersion;
import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.OutputSpec;
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

    /** Every parameter, in {@code --help} order. */
    public static final List<ParamSpec> PARAMS = EvaluationSettings.PARAMS;

    static final OutputSpec COMPARISON = OutputSpec.of("comparison", "comparison.csv", "CSV",
            "one row per model: test top-1/top-5, shot splits, ECE");
    static final OutputSpec COMPARISON_MD = OutputSpec.of("comparison-md", "comparison.md", "Markdown",
            "the comparison table as Markdown");
    static final OutputSpec METRICS = OutputSpec.of("metrics", "metrics.json", "JSON",
            "every row, both splits: metrics, shot splits, per-class accuracy, reliability bins, confusion");
    static final OutputSpec PER_CLASS_ACCURACY = OutputSpec.of("per-class-accuracy", "per-class-accuracy.png", "PNG",
            "per-class test accuracy against train class size");
    static final OutputSpec RELIABILITY = OutputSpec.of("reliability", "reliability.png", "PNG",
            "reliability diagram of the selected row");
    static final OutputSpec CONFUSION_MATRIX = OutputSpec.of("confusion-matrix", "confusion-matrix.png", "PNG",
            "confusion matrix of the selected row, when its report has one").optionally();
    static final OutputSpec SHOT_SPLITS = OutputSpec.of("shot-splits", "shot-splits.png", "PNG",
            "many/medium/few accuracy of every row");
    static final OutputSpec REGISTRATION = OutputSpec.of("registration", "registration.json", "JSON",
            "the selected model with metrics and lineage for the registry client (and the registered version)");
    static final OutputSpec REPORT = OutputSpec.of("report", "report.html", "HTML",
            "self-contained report: tables, figures, registration");

    /**
     * The stage's name, parameters, inputs and outputs: lgr, one optional input per recalibration method (the
     * pipeline's fan-in) and one per method for CE-backbone runs (baselines beside them; not wired by the pipeline).
     */
    public static final StageDefinition DEFINITION = new StageDefinition("evaluation",
            "Comparison table, shot splits, calibration, plots, HTML report and registration record", PARAMS,
            inputs(), List.of(COMPARISON, COMPARISON_MD, METRICS, PER_CLASS_ACCURACY, RELIABILITY, CONFUSION_MATRIX,
                    SHOT_SPLITS, REGISTRATION, REPORT));

    private static List<InputSpec> inputs() {
        List<InputSpec> in = new ArrayList<>();
        in.add(InputSpec.optional(RowLoader.LGR, "manifest of the lgr stage (features-val/test.vlft with"
                + " logits_image and logits_text, lgr.json with alpha and trainClassCounts)")
                .reading("features-val", "features-test", "lgr"));
        for (String m : RowLoader.METHODS) {
            in.add(InputSpec.optional(RowLoader.recalibrationInput(m), "manifest of the recalibration stage run"
                    + " with method=" + m + " (classifier.json, logits-val.vlft, logits-test.vlft)")
                    .reading("classifier", "logits-val", "logits-test"));
        }
        for (String m : RowLoader.METHODS) {
            in.add(InputSpec.optional(RowLoader.ceRecalibrationInput(m), "manifest of a recalibration run with"
                    + " method=" + m + " and backbone=ce: the plain CE baseline as extra rows next to the"
                    + " recalibration-" + m + " of LGR's features").reading("classifier", "logits-val", "logits-test"));
        }
        return in;
    }

    @Override
    protected StageDefinition definition() {
        return DEFINITION;
    }

    @Override
    protected void execute(StageContext ctx) throws Exception {
        EvaluationSettings s = new EvaluationSettings(ctx.params());
        int bins = s.eceBins();
        String metric = s.selectMetric();
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

        write(ctx, COMPARISON, utf8(table.csv()));
        write(ctx, COMPARISON_MD, utf8(table.markdown()));
        write(ctx, METRICS, JSON.writeValueAsBytes(metricsDocument(results, loaded, choice)));

        ReportWriter.Figures fig = ReportWriter.figures(results, choice, loaded.classNames(), loaded.trainCounts());
        write(ctx, PER_CLASS_ACCURACY, fig.perClass());
        write(ctx, RELIABILITY, fig.reliability());
        if (fig.confusion() != null) {
            write(ctx, CONFUSION_MATRIX, fig.confusion());
        }
        write(ctx, SHOT_SPLITS, fig.shots());

        Registration registration = Registration.decide(s.register(),
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
        RegistrationCandidate candidate = new RegistrationCandidate(s.modelName(), ctx.runId(),
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
        write(ctx, REGISTRATION, JSON.writeValueAsBytes(candidate.toJson()));

        write(ctx, REPORT, ReportWriter.html(ctx.runId(), results, table, choice,
                loaded.classNames(), loaded.trainCounts(), fig, registration, inputUris));
    }

    /** Writes an output and attaches it to the tracking run. */
    private static void write(StageContext ctx, OutputSpec output, byte[] content) throws java.io.IOException {
        Path file = ctx.output(output);
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
