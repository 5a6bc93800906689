package dev.vlltr.stage.recalibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.calibrate.BatchIndexSource;
import dev.vlltr.core.calibrate.BnPolicy;
import dev.vlltr.core.calibrate.Classifier;
import dev.vlltr.core.calibrate.ClassifierRetrainer;
import dev.vlltr.core.calibrate.LearnableWeightScaling;
import dev.vlltr.core.calibrate.LinearClassifier;
import dev.vlltr.core.calibrate.NearestClassMeanClassifier;
import dev.vlltr.core.calibrate.ScaledLinearClassifier;
import dev.vlltr.core.calibrate.SgdSchedule;
import dev.vlltr.core.calibrate.TauNormalizedClassifier;
import dev.vlltr.core.calibrate.TauSweep;
import dev.vlltr.core.calibrate.TauSweepResult;
import dev.vlltr.core.calibrate.TrainingHistory;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.Sampler;
import dev.vlltr.core.data.Samplers;
import dev.vlltr.runtime.cli.BadInputException;
import java.util.function.BiConsumer;

/**
 * Applies one re-balancing method to {@link FeatureSplits} and describes what it did (hyper-parameters, chosen τ,
 * per-epoch history, the classifier's parameters) for {@code classifier.json}.
 *
 * <ul>
 *   <li>{@code joint}: the jointly trained classifier. With {@code backbone=ce} it is the end-to-end CE network's own
 *       head; with {@code backbone=lgr} a fresh linear classifier fitted on the frozen features with
 *       instance-balanced batches ({@link SgdSchedule#joint()}).</li>
 *   <li>{@code crt}: a fresh linear classifier, class-aware batches (k per class), {@link SgdSchedule#crt()}.</li>
 *   <li>{@code ncm}: {@link NearestClassMeanClassifier} (cl2n + l2 by default).</li>
 *   <li>{@code tau}: {@link TauNormalizedClassifier} of the base classifier, τ swept on the validation split.</li>
 *   <li>{@code lws}: {@link LearnableWeightScaling} of the base classifier, class-aware batches.</li>
 * </ul>
 * SGD learning rates are the official ones for batch 512, scaled linearly to the batch size; with
 * {@code select-best-epoch} the epoch with the best val top-1 is kept.
 */
public final class Recalibrator {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fitted classifier and its description. */
    public record Outcome(Classifier classifier, ObjectNode description) {}

    private final RecalibrationSettings s;
    private final BiConsumer<String, double[]> curves;

    /** @param curves receives per-epoch curves ({@code name → values}) for tracking */
    public Recalibrator(RecalibrationSettings settings, BiConsumer<String, double[]> curves) {
        this.s = settings;
        this.curves = curves;
    }

    public Outcome run(FeatureSplits f, boolean ceBackbone, BnPolicy effectiveBn) {
        ObjectNode d = JSON.createObjectNode();
        String method = s.method();
        d.put("method", method);
        d.put("features", f.featureName());
        d.put("featureDim", f.train().featureDim());
        d.put("seed", s.seed());
        return switch (method) {
            case "joint" -> {
                if (ceBackbone) {
                    d.put("recipe", "the end-to-end CE network's own head (" + f.upstreamName() + ")");
                    yield linearOutcome(f.upstream(), d);
                }
                LinearClassifier joint = fitJoint(f, d.putObject("training"));
                d.put("recipe", "fresh linear classifier on the frozen features, instance-balanced batches");
                yield linearOutcome(joint, d);
            }
            case "crt" -> {
                ObjectNode t = d.putObject("training");
                SgdSchedule sch = s.schedule("crt");
                describe(t, sch, "class-aware (" + s.samplesPerClass() + " per class)");
                t.put("bnPolicy", effectiveBn.name().toLowerCase(java.util.Locale.ROOT));
                ClassifierRetrainer.Builder b = ClassifierRetrainer.builder().setBatchSource(classAware(f))
                        .optSchedule(sch).optSeed(s.seed()).optBnPolicy(effectiveBn);
                if (s.selectBestEpoch()) {
                    b.optValidation(f.val());
                }
                ClassifierRetrainer.Result r = b.build().train(f.train());
                history(t, r.history(), "crt");
                d.put("recipe", "cRT: fresh linear classifier (PyTorch nn.Linear init), class-aware batches");
                yield linearOutcome(r.classifier(), d);
            }
            case "ncm" -> {
                NearestClassMeanClassifier ncm = NearestClassMeanClassifier.fit(f.train(), s.ncmFeatures(),
                        s.ncmDistance());
                d.put("recipe", "nearest class mean");
                ObjectNode c = d.putObject("classifier");
                c.put("type", "ncm");
                c.put("featureType", ncm.featureType().name().toLowerCase(java.util.Locale.ROOT));
                c.put("distance", ncm.distance().name().toLowerCase(java.util.Locale.ROOT));
                c.set("mean", JSON.valueToTree(ncm.mean()));
                ArrayNode centroids = c.putArray("centroids");
                for (int k = 0; k < ncm.numClasses(); k++) {
                    centroids.add(JSON.valueToTree(ncm.centroid(k)));
                }
                yield new Outcome(ncm, d);
            }
            case "tau" -> {
                LinearClassifier base = base(f, d);
                TauSweepResult sweep = TauSweep.builder().setClassifier(base).optGrid(s.tauGrid())
                        .optMetric(s.tauMetric()).build().run(f.val());
                d.put("tau", sweep.bestTau());
                ObjectNode sw = d.putObject("tauSweep");
                sw.put("split", "val");
                sw.put("metric", sweep.metric().name().toLowerCase(java.util.Locale.ROOT));
                ObjectNode scores = sw.putObject("scores");
                sweep.scoresByTau().forEach((tau, score) -> scores.put(fmtTau(tau), score));
                curves.accept("tau_sweep/val_score", sweep.scores());
                TauNormalizedClassifier tn = TauNormalizedClassifier.of(base, sweep.bestTau());
                d.put("recipe", "tau-normalisation w_c/||w_c||^tau of the base classifier, bias dropped");
                ObjectNode c = classifierNode(tn.asLinear(), "tau-normalized");
                c.put("tau", sweep.bestTau());
                d.set("classifier", c);
                yield new Outcome(tn, d);
            }
            case "lws" -> {
                LinearClassifier base = base(f, d);
                ObjectNode t = d.putObject("training");
                SgdSchedule sch = s.schedule("lws");
                describe(t, sch, "class-aware (" + s.samplesPerClass() + " per class)");
                t.put("bnPolicy", effectiveBn.name().toLowerCase(java.util.Locale.ROOT));
                LearnableWeightScaling.Builder b = LearnableWeightScaling.builder().setClassifier(base)
                        .setBatchSource(classAware(f)).optSchedule(sch).optBnPolicy(effectiveBn);
                if (s.selectBestEpoch()) {
                    b.optValidation(f.val());
                }
                LearnableWeightScaling.Result r = b.build().train(f.train());
                history(t, r.history(), "lws");
                ScaledLinearClassifier lws = r.classifier();
                d.put("recipe", "LWS: per-class scales (init 1) on the frozen base classifier's weight and bias");
                ObjectNode c = classifierNode(lws.base(), "scaled-linear");
                c.set("scales", JSON.valueToTree(lws.scales()));
                d.set("classifier", c);
                yield new Outcome(lws, d);
            }
            default -> throw new IllegalArgumentException("parameter 'method': unknown method '" + method + "'");
        };
    }

    /** The classifier tau and lws start from. */
    private LinearClassifier base(FeatureSplits f, ObjectNode d) {
        if (s.base() == RecalibrationSettings.Base.JOINT) {
            d.put("base", "joint classifier fitted here (instance-balanced batches)");
            return fitJoint(f, d.putObject("baseTraining"));
        }
        if (f.upstream() == null) {
            throw new IllegalArgumentException("parameter 'base': no upstream classifier reads '" + f.featureName()
                    + "'; use base=joint");
        }
        d.put("base", f.upstreamName());
        return f.upstream();
    }

    private LinearClassifier fitJoint(FeatureSplits f, ObjectNode t) {
        SgdSchedule sch = s.schedule("joint");
        describe(t, sch, "instance-balanced");
        BatchIndexSource batches = batches(f, Samplers.builder().setName("instance")
                .setLabels(f.train().labels(), f.numClasses()).optSeed(s.seed()).build());
        ClassifierRetrainer.Builder b = ClassifierRetrainer.builder().setBatchSource(batches).optSchedule(sch)
                .optSeed(s.seed()).optBnPolicy(BnPolicy.FROZEN);
        if (s.selectBestEpoch()) {
            b.optValidation(f.val());
        }
        ClassifierRetrainer.Result r = b.build().train(f.train());
        history(t, r.history(), "joint");
        return r.classifier();
    }

    private BatchIndexSource classAware(FeatureSplits f) {
        return batches(f, Samplers.builder().setName("class").setLabels(f.train().labels(), f.numClasses())
                .optSamplesPerClass(s.samplesPerClass()).optSeed(s.seed()).build());
    }

    /** @throws BadInputException when not one full batch fits an epoch (no optimizer step would run) */
    private BatchIndexSource batches(FeatureSplits f, Sampler sampler) {
        String noStep = Batches.noFullBatch(sampler.epochLength(), f.train().size(), s.batchSize());
        if (noStep != null) {
            throw new BadInputException("parameter 'batch-size': " + noStep);
        }
        return Batches.of(sampler, s.batchSize());
    }

    private void describe(ObjectNode t, SgdSchedule sch, String sampler) {
        t.put("sampler", sampler);
        t.put("batchSize", s.batchSize());
        t.put("lr", sch.learningRate());
        t.put("momentum", sch.momentum());
        t.put("weightDecay", sch.weightDecay());
        t.put("epochs", sch.epochs());
        t.put("schedule", sch.cosine() ? "cosine to 0, stepped " + sch.stepOrder() : "constant");
        t.put("selectBestEpoch", s.selectBestEpoch());
    }

    private void history(ObjectNode t, TrainingHistory h, String prefix) {
        t.set("lrPerEpoch", JSON.valueToTree(h.learningRates()));
        t.set("lossPerEpoch", JSON.valueToTree(h.meanLosses()));
        if (h.validationTop1() != null) {
            t.set("valTop1PerEpoch", JSON.valueToTree(h.validationTop1()));
            curves.accept(prefix + "/val_top1", h.validationTop1());
        }
        t.put("selectedEpoch", h.selectedEpoch());
        curves.accept(prefix + "/loss", h.meanLosses());
    }

    private static Outcome linearOutcome(LinearClassifier c, ObjectNode d) {
        d.set("classifier", classifierNode(c, "linear"));
        return new Outcome(c, d);
    }

    static ObjectNode classifierNode(LinearClassifier c, String type) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.set("weight", JSON.valueToTree(c.weights()));
        n.set("bias", JSON.valueToTree(c.bias()));
        return n;
    }

    static String fmtTau(double tau) {
        return String.format(java.util.Locale.ROOT, "%.2f", tau);
    }
}
