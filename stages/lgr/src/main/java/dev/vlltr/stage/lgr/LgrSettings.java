package dev.vlltr.stage.lgr;

import ai.djl.engine.Engine;
import dev.vlltr.core.train.TrainingDevices;
import dev.vlltr.core.config.PaperPreset;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.stagedata.StageDataset;
import dev.vlltr.stagedata.TrainBatches;
import dev.vlltr.runtime.cli.StageParams;
import dev.vlltr.runtime.cli.ValueRange;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parameters of {@code lgr} with their defaults and ranges (checked by the runtime before any work); defaults
 * follow VL-LTR's LGR training (AdamW wd 0.05, cosine to min-lr without warm-up, square-root sampling, Mixup 0.8 /
 * CutMix 1.0 with target smoothing 0.1, plain CE on class ids, α 0.2). Only the rule linking two parameters is checked here.
 */
public final class LgrSettings {

    /** Every parameter, in {@code --help} order. */
    public static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.choice("preset", "none", "Official VL-LTR hyper-parameters of a paper configuration (see"
                    + " docs/models-and-gpus.md#paper-presets): every parameter not given explicitly takes the"
                    + " preset's value; the dataset must have the preset's number of classes", PaperPreset.choices()),
            ParamSpec.decimal("alpha", 0.2, "Weight of softmax(P^I) in the prediction (official 0.2; 0.7 for iNat)")
                    .between(0, 1),
            ParamSpec.integer("epochs", 10, "Training epochs (official ImageNet-LT: 50)").min(1),
            ParamSpec.decimal("lr", 1.0E-3, "Peak AdamW learning rate of the MLP (official ImageNet-LT 1e-3)")
                    .above(0),
            ParamSpec.bool("freeze-attention", false, "Freeze LN_q, LN_k, W_q, W_k at their identity init (official:"
                    + " trained at attention-lr 1e-6, i.e. almost frozen)"),
            ParamSpec.integer("seed", 0, "Seed of initialisation, sampling, augmentation and Mixup/CutMix"),
            ParamSpec.choice("input", "images", "images (official: augmented images through the frozen backbone in"
                    + " inference mode) or features (deviation for CPU speed: cached frozen features of the"
                    + " un-augmented train images; Mixup/CutMix are then off).", "images", "features"),
            ParamSpec.integer("batch-size", 128, "Batch size (official 128 per GPU)").min(1),
            ParamSpec.choice("sampler", "sqrt", "Train sampler: sqrt (official), instance or class-balanced.",
                    "instance", "sqrt", "class-balanced"),
            ParamSpec.decimal("attention-lr", 1.0E-6, "Learning rate of the attention group (official text_lr 1e-6),"
                    + " scaled by the same cosine").min(0),
            ParamSpec.decimal("weight-decay", 0.05, "AdamW weight decay (none on biases and norms)").min(0),
            ParamSpec.decimal("min-lr", 1.0E-5, "Floor of the cosine (official default 1e-5)").min(0),
            ParamSpec.integer("warmup-epochs", 0, "Warm-up epochs (official LGR: 0)").min(0),
            ParamSpec.decimal("mixup", 0.8, "Mixup alpha (official timm default 0.8; 0 = off)").min(0),
            ParamSpec.decimal("cutmix", 1.0, "CutMix alpha (official 1.0; 0 = off)").min(0),
            ParamSpec.decimal("smoothing", 0.1, "Label smoothing of the Mixup/CutMix targets (official 0.1)")
                    .withRange(new ValueRange(0.0, false, 1.0, true)),
            ParamSpec.decimal("ce-smoothing", 0.0, "Label smoothing of class-id targets, used when Mixup and CutMix"
                    + " are off or input=features (official loss_type CE: 0, plain cross-entropy on both branches;"
                    + " > 0 is a deviation: timm LabelSmoothingCrossEntropy)")
                    .withRange(new ValueRange(0.0, false, 1.0, true)),
            ParamSpec.bool("text-branch", true, "Train the language branch (false: CE(P^I) only, the no-language"
                    + " ablation; predictions then use P^I alone)"),
            ParamSpec.string("data-dir", "", "Backwards-compatible, only without input 'dataset': folder with the"
                    + " Fashion-MNIST IDX files, or its s3:// / file:// URI (fetched through the artifact store; empty:"
                    + " Debian package or cache)"),
            ParamSpec.integer("eval-batch-size", 256, "Batch size of feature extraction").min(1),
            ParamSpec.integer("loader-threads", 1, "Background threads assembling augmented batches (loader"
                    + " streaming: fetch/decode workers)").min(1),
            ParamSpec.string("device", "cpu", TrainingDevices.HELP),
            TrainBatches.param(),
            TrainBatches.checkpointParam(" and input=images; input=features is refused"),
            StageDataset.splitsParam());

    /** The warm-up's start learning rate (timm's default; LGR has no warm-up by default). */
    static final double WARMUP_LR = 1e-6;

    private static final Logger LOG = LoggerFactory.getLogger(LgrSettings.class);

    private final StageParams p;
    private final PaperPreset preset;
    private final TrainingDevices devices;

    /**
     * The typed parameters, a preset's values in place of the defaults; ranges were checked by the runtime, the rule
     * linking two parameters here.
     */
    LgrSettings(StageParams given) {
        this.preset = PaperPreset.named(given.string("preset")).orElse(null);
        this.p = preset == null ? given : given.withPreset(preset.lgr());
        if (preset != null) {
            LOG.info("preset {} ({}, {}): parameters not given take {}", preset.name(), preset.dataset(),
                    preset.lgrSource(), preset.lgr());
        }
        if (warmupEpochs() > 0 && warmupEpochs() >= epochs()) {
            throw new BadInputException("parameter 'warmup-epochs': expected 0 <= warmup-epochs < epochs");
        }
        if (!imageInput() && checkpointEveryBatches() > 0) {
            throw new BadInputException("parameter " + TrainBatches.CHECKPOINT_PARAM + "=" + checkpointEveryBatches()
                    + " needs input=images with the streaming loader (mid-epoch resume); input=features trains on"
                    + " cached features and checkpoints at epoch ends only; give input=images loader=streaming or "
                    + TrainBatches.CHECKPOINT_PARAM + "=0");
        }
        TrainingDevices d;
        try {
            d = TrainingDevices.parseParameter(p.string("device"), Engine.getInstance().getGpuCount(), "device");
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        this.devices = d;
    }

    /**
     * @param classes the classes of the cvlp model
     * @throws BadInputException naming parameter 'preset' when the preset is for a dataset with other classes
     */
    void checkPresetClasses(int classes) {
        if (preset != null) {
            try {
                preset.checkClasses(classes);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
        }
    }

    /** Where to train (checked against the machine's GPUs). */
    TrainingDevices devices() {
        return devices;
    }

    double alpha() {
        return p.decimal("alpha");
    }

    int epochs() {
        return p.integer("epochs");
    }

    double lr() {
        return p.decimal("lr");
    }

    boolean freezeAttention() {
        return p.bool("freeze-attention");
    }

    long seed() {
        return p.integer("seed");
    }

    /** Whether batches are augmented images through the frozen backbone (else cached features). */
    /** The training loader (input=images only). */
    String loader() {
        return p.string(TrainBatches.PARAM);
    }

    boolean imageInput() {
        return p.string("input").equals("images");
    }

    int batchSize() {
        return p.integer("batch-size");
    }

    /** The ltr-core sampler name. */
    String sampler() {
        String s = p.string("sampler");
        return s.equals("class-balanced") ? "class" : s;
    }

    double attentionLr() {
        return p.decimal("attention-lr");
    }

    double weightDecay() {
        return p.decimal("weight-decay");
    }

    /** The cosine's floor, at most the peak. */
    double minLr() {
        return Math.min(p.decimal("min-lr"), lr());
    }

    int warmupEpochs() {
        return p.integer("warmup-epochs");
    }

    double mixup() {
        return p.decimal("mixup");
    }

    double cutmix() {
        return p.decimal("cutmix");
    }

    /** Smoothing of the Mixup/CutMix targets. */
    double smoothing() {
        return p.decimal("smoothing");
    }

    /** Smoothing of class-id targets (plain CE at 0, the official default). */
    double ceSmoothing() {
        return p.decimal("ce-smoothing");
    }

    boolean textBranch() {
        return p.bool("text-branch");
    }

    String dataDir() {
        return p.string("data-dir");
    }

    String splits() {
        return p.string(StageDataset.SPLITS_PARAM);
    }

    int evalBatchSize() {
        return p.integer("eval-batch-size");
    }

    /** Mid-epoch checkpoints every N batches (input=images with the streaming loader; 0 = none). */
    int checkpointEveryBatches() {
        return p.integer(TrainBatches.CHECKPOINT_PARAM);
    }

    int loaderThreads() {
        return p.integer("loader-threads");
    }
}
