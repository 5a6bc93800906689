package dev.vlltr.stage.recalibration;

import ai.djl.engine.Engine;
import dev.vlltr.core.calibrate.BnPolicy;
import dev.vlltr.core.calibrate.NearestClassMeanClassifier;
import dev.vlltr.core.calibrate.SgdSchedule;
import dev.vlltr.core.calibrate.TauSelectionMetric;
import dev.vlltr.core.train.TrainingDevices;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageParams;
import dev.vlltr.stagedata.StageDataset;
import dev.vlltr.stagedata.TrainBatches;
import java.util.List;
import java.util.Locale;

/**
 * The parameters of the recalibration stage (names as in orchestration/pipeline.yaml), typed and checked. Defaults
 * are the official Decoupling settings unless said otherwise.
 */
public final class RecalibrationSettings {

    /** Default epochs of the CE backbone: modest, to keep the default pipeline near 30 minutes on 2 cores. */
    public static final int DEFAULT_CE_EPOCHS = 5;

    public static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.choice("method", "crt", "Re-balancing method: crt (fresh linear layer, class-aware batches),"
                    + " ncm (nearest class mean), tau (w/||w||^tau without bias, tau chosen on val), lws (learnable"
                    + " per-class scales on weight and bias), joint (the jointly trained classifier)",
                    "crt", "ncm", "tau", "lws", "joint"),
            ParamSpec.integer("seed", 0, "Seed of every random choice (initialisation, samplers, long-tail split)"),
            ParamSpec.choice("backbone", "lgr", "Whose frozen features: lgr (the lgr input's image features) or ce"
                    + " (a ResNet trained end to end with softmax cross-entropy on the long-tailed split here: the"
                    + " plain CE baseline and Decoupling's stage 1)", "lgr", "ce"),
            ParamSpec.choice("features", "auto", "Features the method works on. auto: hidden_image for backbone=lgr"
                    + " (the input of P^I's last Linear, whose classifier is re-balanced), the pooled ResNet"
                    + " features for backbone=ce. features: the lgr image feature f (then base must be joint)",
                    "auto", "hidden_image", "features"),
            ParamSpec.choice("base", "auto", "Classifier that tau and lws rescale: upstream (LGR's visual"
                    + " classifier, visual-classifier.json, or the CE network's head) or joint (a linear"
                    + " classifier fitted here on the frozen features with instance-balanced batches); auto ="
                    + " upstream", "auto", "upstream", "joint"),
            ParamSpec.integer("batch-size", 512, "Mini-batch size of the SGD-trained methods (official 512)").min(1),
            ParamSpec.decimal("lr", 0.0, "Learning rate; 0 = the method's official value (0.2 at batch 512)"
                    + " scaled linearly to batch-size").min(0),
            ParamSpec.integer("epochs", 0, "Epochs; 0 = the method's official value (joint 90, crt 10, lws 5)").min(0),
            ParamSpec.decimal("weight-decay", 5.0E-4, "SGD weight decay (official 5e-4)").min(0),
            ParamSpec.integer("samples-per-class", 4, "Class-aware sampler: consecutive samples per drawn class"
                    + " (official 4)").min(1),
            ParamSpec.bool("select-best-epoch", true, "Keep the epoch with the best val top-1 (official"
                    + " state_dict_best); false: the last epoch"),
            ParamSpec.choice("bn-policy", "reestimate", "BatchNorm during crt/lws: reestimate (official: the frozen"
                    + " backbone runs in train mode, so BN statistics are re-estimated on class-aware batches and"
                    + " features re-extracted; backbone=ce only) or frozen (stage-1 statistics). Precomputed lgr"
                    + " features are always frozen", "reestimate", "frozen"),
            ParamSpec.choice("ncm-features", "cl2n", "NCM feature transform: cl2n (centre by the train mean, then"
                    + " L2-normalise; official), l2n, un", "cl2n", "l2n", "un"),
            ParamSpec.choice("ncm-distance", "l2", "NCM score: l2 (-||x-c||^2, official) or cos (x.c/D)", "l2", "cos"),
            ParamSpec.decimal("tau-max", 2.0, "tau grid: 0, tau-step, ..., tau-max (official linspace(0, 2,"
                    + " 21))").min(0),
            ParamSpec.decimal("tau-step", 0.1, "tau grid step").above(0),
            ParamSpec.choice("tau-metric", "mean-class", "What the tau sweep maximises on val: mean-class (mean of"
                    + " per-class accuracies, tau_norm.py's 'All') or top1", "mean-class", "top1"),
            ParamSpec.string("dataset", "fashion-mnist", "backbone=ce, backwards-compatible, only without input"
                    + " 'dataset': Fashion-MNIST ('fashion-mnist' or a shipped spec's name: its images and classes),"
                    + " the long tail from max-per-class, imbalance-factor, val-per-class and seed"),
            ParamSpec.decimal("imbalance-factor", 100.0, "backbone=ce without input 'dataset': n_max / n_min of the"
                    + " exponential profile (with it, the spec's longTail block decides)").min(1),
            ParamSpec.integer("max-per-class", 6000, "backbone=ce without input 'dataset': n_max, images of the"
                    + " head class (6000: fmnist-lt-if100; 1000: fmnist-lt-fewshot)").min(1),
            ParamSpec.integer("val-per-class", 20, "backbone=ce without input 'dataset': balanced validation images"
                    + " per class, held out of the train set (cRT/LWS/tau select on val)").min(1),
            ParamSpec.integer("test-per-class", 0, "backbone=ce: evaluate on the first k test images of each class"
                    + " (quick runs); 0 = the whole official test set (rows then match the lgr stage's)").min(0),
            ParamSpec.string("data-dir", "", "backbone=ce, backwards-compatible, only without input 'dataset':"
                    + " folder with the Fashion-MNIST IDX files, or its s3:// / file:// URI (fetched through the"
                    + " artifact store); empty: the Debian package, the cache, or a verified download"),
            ParamSpec.choice("sampler", "instance", "backbone=ce: sampler of the end-to-end CE training",
                    "instance", "class-balanced", "sqrt", "progressive"),
            ParamSpec.integer("ce-epochs", DEFAULT_CE_EPOCHS, "backbone=ce: epochs of the end-to-end CE training"
                    + " (Decoupling trains 90; the default keeps the pipeline short)").min(1),
            ParamSpec.integer("ce-batch-size", 128, "backbone=ce: mini-batch size of the CE training").min(1),
            ParamSpec.decimal("ce-lr", 0.0, "backbone=ce: learning rate; 0 = 0.2 scaled to ce-batch-size/512").min(0),
            ParamSpec.integer("ce-depth", 20, "backbone=ce: ResNet depth (CIFAR layout, 6n+2: 8, 14, 20,"
                    + " 32, 44, 56, 110)").min(8),
            ParamSpec.string("ce-cache", "", "backbone=ce: where the trained CE backbone is cached, keyed by its"
                    + " training settings, so the five methods train it once: empty = $VLLTR_WORK_DIR/ce-cache,"
                    + " a file:// or s3:// folder URI, or 'none'"),
            ParamSpec.string("device", "cpu", "backbone=ce: " + TrainingDevices.HELP + ". The re-calibration"
                    + " methods on cached features run on the CPU"),
            TrainBatches.param(),
            ParamSpec.integer("loader-threads", 1, "backbone=ce: background threads assembling training batches"
                    + " (loader streaming: fetch/decode workers)").min(1),
            StageDataset.splitsParam());

    /** Which classifier tau and lws start from. */
    public enum Base { UPSTREAM, JOINT }

    private final StageParams p;
    private final TrainingDevices devices;

    public RecalibrationSettings(StageParams p) {
        this.p = p;
        try {
            devices = TrainingDevices.parseParameter(p.string("device"), Engine.getInstance().getGpuCount(), "device");
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        // single-parameter ranges are declared in PARAMS (checked by the runtime); here only what a range cannot say
        int depth = p.integer("ce-depth");
        if ((depth - 2) % 6 != 0) {
            throw new BadInputException("parameter 'ce-depth': expected a CIFAR ResNet depth 6n+2 >= 8 (8, 14, 20,"
                    + " 32, 44, 56, 110), got " + depth);
        }
        if (backboneIsCe() && !p.string("features").equals("auto")) {
            throw new BadInputException("parameter 'features': backbone=ce has one feature array (the pooled ResNet"
                    + " features); use features=auto, got '" + p.string("features") + "'");
        }
        if (!backboneIsCe() && p.string("features").equals("features") && base() == Base.UPSTREAM
                && (method().equals("tau") || method().equals("lws"))) {
            throw new BadInputException("parameter 'base': LGR's visual classifier reads hidden_image, not the image"
                    + " feature f; with features=features use base=joint");
        }
    }

    /** Where the CE backbone trains (checked against the machine's GPUs). */
    public TrainingDevices devices() {
        return devices;
    }

    public StageParams raw() {
        return p;
    }

    public String method() {
        return p.string("method");
    }

    public long seed() {
        return p.integer("seed");
    }

    public boolean backboneIsCe() {
        return p.string("backbone").equals("ce");
    }

    public String backbone() {
        return p.string("backbone");
    }

    /** The lgr array the method reads (backbone=lgr). */
    public String lgrFeatureArray() {
        String f = p.string("features");
        return f.equals("auto") ? "hidden_image" : f;
    }

    public Base base() {
        return p.string("base").equals("joint") ? Base.JOINT : Base.UPSTREAM;
    }

    public int batchSize() {
        return p.integer("batch-size");
    }

    /** The official schedule of {@code method} (joint, crt or lws) with this stage's overrides. */
    public SgdSchedule schedule(String method) {
        SgdSchedule preset = switch (method) {
            case "joint" -> SgdSchedule.joint();
            case "crt" -> SgdSchedule.crt();
            case "lws" -> SgdSchedule.lws();
            default -> throw new IllegalStateException("no SGD schedule for " + method);
        };
        SgdSchedule s = p.decimal("lr") > 0 ? preset.withLearningRate(p.decimal("lr"))
                : preset.withLinearlyScaledLr(512, batchSize());
        if (p.integer("epochs") > 0) {
            s = s.withEpochs(p.integer("epochs"));
        }
        return s.withWeightDecay(p.decimal("weight-decay"));
    }

    public int samplesPerClass() {
        return p.integer("samples-per-class");
    }

    public boolean selectBestEpoch() {
        return p.bool("select-best-epoch");
    }

    public BnPolicy bnPolicy() {
        return p.string("bn-policy").equals("frozen") ? BnPolicy.FROZEN : BnPolicy.REESTIMATE;
    }

    public NearestClassMeanClassifier.FeatureType ncmFeatures() {
        return NearestClassMeanClassifier.FeatureType.valueOf(p.string("ncm-features").toUpperCase(Locale.ROOT));
    }

    public NearestClassMeanClassifier.Distance ncmDistance() {
        return NearestClassMeanClassifier.Distance.valueOf(p.string("ncm-distance").toUpperCase(Locale.ROOT));
    }

    /** 0, step, 2·step, ... up to tau-max (inclusive, within rounding), each rounded to 10 decimals. */
    public double[] tauGrid() {
        double step = p.decimal("tau-step");
        double max = p.decimal("tau-max");
        int n = (int) Math.floor(max / step + 1e-9) + 1;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = Math.round(i * step * 1e10) / 1e10;
        }
        return g;
    }

    public TauSelectionMetric tauMetric() {
        return p.string("tau-metric").equals("top1") ? TauSelectionMetric.TOP1 : TauSelectionMetric.MEAN_CLASS_ACCURACY;
    }

    public String dataset() {
        return p.string("dataset").strip();
    }

    public double imbalanceFactor() {
        return p.decimal("imbalance-factor");
    }

    public int maxPerClass() {
        return p.integer("max-per-class");
    }

    public int valPerClass() {
        return p.integer("val-per-class");
    }

    /** 0 = the whole official test set. */
    public int testPerClass() {
        return p.integer("test-per-class");
    }

    public String dataDir() {
        return p.string("data-dir").strip();
    }

    /** backbone=ce: the {@code loader} parameter (auto, memory, streaming). */
    public String loader() {
        return p.string(TrainBatches.PARAM);
    }

    public int loaderThreads() {
        return p.integer("loader-threads");
    }

    /** The {@code splits} parameter (auto, memory, lazy). */
    public String splits() {
        return p.string(StageDataset.SPLITS_PARAM);
    }

    /** The ltr-core sampler name of {@code sampler} ({@code class-balanced} is ltr-core's {@code class}). */
    public String samplerName() {
        String s = p.string("sampler");
        return s.equals("class-balanced") ? "class" : s;
    }

    public int ceEpochs() {
        return p.integer("ce-epochs");
    }

    public int ceBatchSize() {
        return p.integer("ce-batch-size");
    }

    public SgdSchedule ceSchedule() {
        SgdSchedule s = SgdSchedule.joint().withEpochs(ceEpochs()).withWeightDecay(p.decimal("weight-decay"));
        return p.decimal("ce-lr") > 0 ? s.withLearningRate(p.decimal("ce-lr"))
                : s.withLinearlyScaledLr(512, ceBatchSize());
    }

    public int ceDepth() {
        return p.integer("ce-depth");
    }

    public String ceCache() {
        return p.string("ce-cache").strip();
    }
}
