package dev.vlltr.stage.evaluation;

import dev.vlltr.core.eval.EvaluationReport;
import dev.vlltr.core.eval.ShotSplitResult;
import dev.vlltr.registry.client.RegistryClient;
import dev.vlltr.registry.client.VersionInfo;
import dev.vlltr.registry.client.VersionRequest;
import java.util.Locale;

/**
 * Submits a {@link RegistrationCandidate} to the model registry: the model is created when new, and one version is
 * registered with the selected row's metrics (test split: overall, many/medium/few of the primary convention, per
 * class; validation top-1), lineage (pipeline run, this stage's MLflow run, code version, dataset and corpus ids,
 * every input manifest with its SHA-256) and tags
 * naming the row and why it was chosen. Aliases are left alone: promotion is the registry's gated decision.
 *
 * <p>The version carries an idempotency key ({@code <run-id>/evaluation/<model>}), so a retried evaluation (an Airflow
 * retry after a lost response) gets the version created the first time instead of a duplicate.
 */
final class RegistrySubmission {

    private RegistrySubmission() {}

    static VersionRequest request(RegistrationCandidate c) {
        ModelRow row = c.choice().row().row();
        EvaluationReport test = c.choice().row().test();
        VersionRequest.Builder b = VersionRequest.builder()
                .optDescription(row.name() + " selected by " + c.choice().metric() + " = "
                        + String.format(Locale.ROOT, "%.4f", c.choice().value()))
                .optPipelineRunId(c.runId())
                .optCodeVersion(c.codeVersion())
                .optMlflowRunId(c.mlflowRunId())
                .optDatasetId(c.provenance().datasetId())
                .optCorpusId(c.provenance().corpusId())
                .optIdempotencyKey(c.runId() + "/evaluation/" + c.modelName())
                .addTag("row", row.key())
                .addTag("method", row.method())
                .addTag("backbone", row.backbone())
                .addTag("selection.metric", c.choice().metric());
        c.inputs().forEach((name, ref) -> b.addArtifact(name, ref.get("uri"), ref.get("sha256")));
        test.toMetrics().forEach((key, value) -> {
            if (!key.contains("/") && !key.endsWith("_acc") || key.equals("mean_class_acc")) {
                b.addMetric(key.equals("top1") ? "acc" : key, value);
            }
        });
        b.addMetric("val_acc", c.choice().row().val().top1());
        ShotSplitResult primary = test.shotSplits().get(test.primaryConvention());
        if (primary != null) {
            for (String group : new String[] {"many", "medium", "few"}) {
                double acc = primary.accuracy(group);
                if (!Double.isNaN(acc)) {
                    b.addShotMetric(group, "acc", acc);
                }
            }
        }
        double[] perClass = test.perClass().accuracies();
        for (int k = 0; k < c.classNames().size(); k++) {
            if (!Double.isNaN(perClass[k])) {
                b.addClassMetric(c.classNames().get(k), "acc", perClass[k]);
            }
        }
        return b.build();
    }

    /** Ensures the model exists and registers the version; the registry's errors propagate (the stage then fails). */
    static VersionInfo submit(RegistrationCandidate c, RegistryClient client) {
        client.ensureModel(c.modelName(), "VL-LTR pipeline model (registered by the evaluation stage)");
        return client.registerVersion(c.modelName(), request(c));
    }

    /** The registration record with its outcome. */
    static Registration registered(Registration r, VersionInfo v) {
        return new Registration(r.requested(), r.url(), "registered: " + v.model() + " version " + v.version());
    }
}
