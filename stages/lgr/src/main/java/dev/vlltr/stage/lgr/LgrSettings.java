package dev.vlltr.stage.lgr;

import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageParams;
import dev.vlltr.runtime.cli.ValueRange;
import java.util.List;

/**
 * The parameters of {@code lgr} with their defaults and ranges (checked by the runtime before any work); defaults
 * follow VL-LTR's LGR training (AdamW wd 0.05, cosine to min-lr without warm-up, square-root sampling, Mixup 0.8 /
 * CutMix 1.0, label smoothing 0.1, α 0.2). Only the rule linking two parameters is checked here.
 */
public final class LgrSettings {

    /** Every parameter, in {@code --help} order. */
    public static final List<ParamSpec> PARAMS = List.of(
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
            ParamSpec.decimal("smoothing", 0.1, "Label smoothing (official 0.1)")
                    .withRange(new ValueRange(0.0, false, 1.0, true)),
            ParamSpec.bool("text-branch", true, "Train the language branch (false: CE(P^I) only, the no-language"
                    + " ablation; predictions then use P^I alone)"),
            ParamSpec.string("data-dir", "", "Backwards-compatible, only without input 'dataset': folder with the"
                    + " Fashion-MNIST IDX files, or its s3:// / file:// URI (fetched through the artifact store; empty:"
                    + " Debian package or cache)"),
            ParamSpec.integer("eval-batch-size", 256, "Batch size of feature extraction").min(1),
            ParamSpec.integer("loader-threads", 1, "Background threads assembling augmented batches").min(1));

    /** The warm-up's start learning rate (timm's default; LGR has no warm-up by default). */
    static final double WARMUP_LR = 1e-6;

    private final StageParams p;

    /** The typed parameters; ranges were checked by the runtime, the rule linking two parameters here. */
    LgrSettings(StageParams p) {
        this.p = p;
        if (warmupEpochs() > 0 && warmupEpochs() >= epochs()) {
            throw new BadInputException("parameter 'warmup-epochs': expected 0 <= warmup-epochs < epochs");
        }
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

    double smoothing() {
        return p.decimal("smoothing");
    }

    boolean textBranch() {
        return p.bool("text-branch");
    }

    String dataDir() {
        return p.string("data-dir");
    }

    int evalBatchSize() {
        return p.integer("eval-batch-size");
    }

    int loaderThreads() {
        return p.integer("loader-threads");
    }
}
