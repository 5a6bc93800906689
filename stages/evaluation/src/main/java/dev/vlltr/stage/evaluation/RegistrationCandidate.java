package dev.vlltr.stage.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.eval.EvaluationReport;
import dev.vlltr.core.eval.ShotGroup;
import dev.vlltr.core.eval.ShotSplitResult;
import java.util.List;
import java.util.Map;

/**
 * What evaluation hands to the model registry for the selected row ({@code registration.json}): the model name, the
 * selected row and why (metric and value), its metrics (test overall, validation overall, every shot group of every
 * convention, per class), and its lineage (pipeline run id, this stage's code version, every input manifest with its
 * digest and the upstream files the row was computed from). The registry client submits it; this stage makes no HTTP
 * call.
 *
 * @param modelName    registry model name ({@code model-name})
 * @param runId        pipeline run id
 * @param codeVersion  code version of this stage
 * @param choice       the selected row
 * @param classNames   class names in label order
 * @param trainCounts  training images per class
 * @param inputs       every input of this stage: name → {uri, sha256} (manifests)
 * @param upstream     per input: {stage, runId, codeVersion, fingerprint}
 * @param rowFiles     the files the row was read from: "input:file" → URI
 * @param registry     what happened with the registry (requested, configured, status)
 * @param mlflowRunId  this evaluation's MLflow run (where the registered metrics and the report were logged), or null
 *                     when tracking is off
 * @param provenance   the dataset and corpus ids found upstream
 */
public record RegistrationCandidate(String modelName, String runId, String codeVersion, ModelSelection.Choice choice,
        List<String> classNames, int[] trainCounts, Map<String, Map<String, String>> inputs,
        Map<String, Map<String, String>> upstream, Map<String, String> rowFiles, Registration registry,
        String mlflowRunId, UpstreamLineage provenance) {

    /** The same candidate with the registry's outcome. */
    public RegistrationCandidate withRegistry(Registration outcome) {
        return new RegistrationCandidate(modelName, runId, codeVersion, choice, classNames, trainCounts, inputs,
                upstream, rowFiles, outcome, mlflowRunId, provenance);
    }

    public static final String FORMAT = "vlltr.registration-candidate/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("modelName", modelName);
        ModelRow row = choice.row().row();
        ObjectNode version = root.putObject("version");
        version.put("key", row.key());
        version.put("name", row.name());
        version.put("method", row.method());
        version.put("backbone", row.backbone());
        version.put("input", row.input());
        version.set("details", JSON.valueToTree(row.details()));
        ObjectNode sel = root.putObject("selection");
        sel.put("metric", choice.metric());
        sel.put("value", choice.value());
        ObjectNode metrics = root.putObject("metrics");
        metrics.set("test", overall(choice.row().test()));
        metrics.set("val", overall(choice.row().val()));
        metrics.set("testShotSplits", shots(choice.row().test()));
        metrics.set("valShotSplits", shots(choice.row().val()));
        ObjectNode perClass = metrics.putObject("testPerClass");
        double[] acc = choice.row().test().perClass().accuracies();
        for (int c = 0; c < classNames.size(); c++) {
            ObjectNode pc = perClass.putObject(classNames.get(c));
            pc.put("accuracy", acc[c]);
            pc.put("trainCount", trainCounts[c]);
            pc.put("testCount", choice.row().test().perClass().total()[c]);
        }
        ObjectNode lineage = root.putObject("lineage");
        lineage.put("pipelineRunId", runId);
        lineage.put("stage", "evaluation");
        lineage.put("codeVersion", codeVersion);
        putIfKnown(lineage, "mlflowRunId", mlflowRunId);
        putIfKnown(lineage, "datasetId", provenance.datasetId());
        putIfKnown(lineage, "corpusId", provenance.corpusId());
        lineage.set("inputs", JSON.valueToTree(inputs));
        lineage.set("upstream", JSON.valueToTree(upstream));
        lineage.set("rowFiles", JSON.valueToTree(rowFiles));
        ObjectNode reg = root.putObject("registry");
        reg.put("requested", registry.requested());
        reg.put("configured", registry.url() != null);
        if (registry.url() != null) {
            reg.put("url", registry.url());
        }
        reg.put("status", registry.status());
        return root;
    }

    private static void putIfKnown(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    static ObjectNode overall(EvaluationReport r) {
        ObjectNode o = JSON.createObjectNode();
        r.toMetrics().forEach((k, v) -> {
            if (!k.contains("/")) {
                o.put(k, v);
            }
        });
        o.put("samples", r.numSamples());
        return o;
    }

    static ObjectNode shots(EvaluationReport r) {
        ObjectNode o = JSON.createObjectNode();
        for (ShotSplitResult s : r.shotSplits().values()) {
            ObjectNode conv = o.putObject(s.convention().key());
            conv.put("aggregation", s.aggregation().name().toLowerCase(java.util.Locale.ROOT));
            for (ShotGroup g : s.groups()) {
                ObjectNode gn = conv.putObject(g.name());
                gn.put("rule", g.rule());
                gn.put("classes", g.numClasses());
                gn.put("samples", g.numSamples());
                if (Double.isNaN(g.accuracy())) {
                    gn.putNull("accuracy");
                } else {
                    gn.put("accuracy", g.accuracy());
                }
            }
        }
        return o;
    }
}
