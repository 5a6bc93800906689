package dev.vlltr.stage.cvlp;

import ai.djl.engine.Engine;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.train.TrainingDevices;
import dev.vlltr.core.config.PaperPreset;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageParams;
import dev.vlltr.stagedata.StageDataset;
import dev.vlltr.stagedata.TrainBatches;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parameters of {@code cvlp} with their defaults. The first eight are the ones {@code orchestration/pipeline.yaml}
 * wires; the rest are architecture, schedule and ablation options (also declared there with the same defaults).
 * Defaults follow VL-LTR's pre-training (AdamW wd 0.05, cosine with warm-up from 1e-6 to min-lr 0, square-root
 * sampling, λ = 0.5 with a teacher); deviations are documented on each parameter.
 */
public final class CvlpSettings {

    /** Every parameter, in {@code --help} order. */
    public static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.choice("preset", "none", "Official VL-LTR hyper-parameters of a paper configuration (see"
                    + " docs/models-and-gpus.md#paper-presets): every parameter not given explicitly takes the"
                    + " preset's value; the dataset must have the preset's number of classes", PaperPreset.choices()),
            ParamSpec.string("dataset", "fashion-mnist", "Backwards-compatible, used only without input 'dataset': a"
                    + " shipped spec by name (fmnist-lt-if100, fmnist-lt-fewshot, fmnist-lt-quick; its split seeded"
                    + " by 'seed') or 'fashion-mnist' (fmnist-lt-if100 with imbalance-factor)"),
            ParamSpec.decimal("imbalance-factor", 100.0, "n_max / n_min of the long tail of dataset=fashion-mnist;"
                    + " not used with a named shipped spec or input 'dataset' (the spec's longTail block decides)")
                    .min(1),
            ParamSpec.integer("epochs", 10, "Training epochs (official ImageNet-LT: 50)").min(1),
            ParamSpec.integer("batch-size", 128, "Images per step, each paired with one sentence of its class"
                    + " (official: 256 per GPU x 8)").min(1),
            ParamSpec.decimal("lr", 5.0E-4, "Peak AdamW learning rate (official RN50 from CLIP weights: 5e-5; higher"
                    + " here because the image tower trains from scratch)").above(0),
            ParamSpec.decimal("lambda", 0.5, "Distillation weight: L = (1 - lambda) L_ccl + lambda L_dis with a teacher"
                    + " (official distillation_beta 0.5); without one lambda = 0 (logged and recorded as"
                    + " lambda_effective)").between(0, 1),
            ParamSpec.choice("sampler", "sqrt", "Train sampler: sqrt (official: p_c ~ sqrt(n_c), with replacement),"
                    + " instance (shuffle) or class-balanced (4 per class).", "instance", "sqrt", "class-balanced"),
            ParamSpec.integer("seed", 0, "Seed of the long-tail subset, initialisation, sampling and augmentation"),
            ParamSpec.choice("backbone", "resnet20", "Image tower: resnet20 (CIFAR ResNet of 'depth', from scratch),"
                    + " resnet50 (CLIP's ModifiedResNet) or vit-b16 (CLIP's ViT); the CLIP towers take their"
                    + " architecture and weights from the input clip-bundle (required for them) and are trained",
                    "resnet20", "resnet50", "vit-b16"),
            ParamSpec.integer("image-size", 0, "Side the images are resized to for a CLIP image tower (0 = the"
                    + " bundle's, 224 for OpenAI's; another size resizes the positional embedding bicubically as"
                    + " VL-LTR's interpolate_pos_embed does; the ResNet needs a multiple of 32, the ViT of its patch)").min(0),
            ParamSpec.choice("clip-batchnorm", "frozen", "BatchNorm of the CLIP ResNet image tower (backbone resnet50):"
                    + " frozen (official ImageNet-LT/Places-LT pre-training, train_mode=False: the checkpoint's running"
                    + " statistics normalise and are kept, the affine parameters train) or train (batch statistics,"
                    + " running ones updated)", "frozen", "train"),
            ParamSpec.integer("depth", 20, "ResNet depth, CIFAR layout 6n+2 (20 = ResNet-20; backbone resnet20)")
                    .min(8),
            ParamSpec.integer("embed-dim", 128, "Joint embedding dimension (with a CLIP tower: the bundle's, this"
                    + " parameter is then ignored)").min(1),
            ParamSpec.choice("text-encoder", "minilm", "Text tower: minilm (frozen all-MiniLM-L6-v2 + trainable MLP),"
                    + " scratch (the 'no pretrained language' ablation: a word vocabulary built from the corpus"
                    + " and a small Transformer trained jointly from scratch; see text-width, text-layers,"
                    + " text-heads, text-max-length, text-vocab-size) or clip (CLIP's text transformer over CLIP BPE"
                    + " ids, context 77, initialised from the input clip-bundle and trained).", "minilm", "scratch",
                    "clip"),
            ParamSpec.integer("text-hidden-dim", 512, "Hidden width of the text projection MLP over frozen MiniLM"
                    + " sentence embeddings (0 = one linear layer; text-encoder minilm)").min(0),
            ParamSpec.integer("text-width", 128, "Width of the scratch text Transformer (text-encoder scratch;"
                    + " a multiple of text-heads)").min(1),
            ParamSpec.integer("text-layers", 2, "Layers of the scratch text Transformer (text-encoder scratch)").min(0),
            ParamSpec.integer("text-heads", 4, "Attention heads of the scratch text Transformer (text-encoder"
                    + " scratch)").min(1),
            ParamSpec.integer("text-max-length", 32, "Words per sentence fed to the scratch text Transformer, longer"
                    + " sentences truncated (text-encoder scratch)").min(1),
            ParamSpec.integer("text-vocab-size", 20000, "Maximum vocabulary size incl. <pad> and <unk>, most frequent"
                    + " corpus words first (text-encoder scratch)").min(2),
            ParamSpec.choice("text-projection", "trainable", "trainable (default) or frozen: the frozen-text ablation"
                    + " keeps the text MLP at its random initialisation.", "trainable", "frozen"),
            ParamSpec.integer("warmup-epochs", 1, "Linear warm-up epochs from warmup-lr (official: 5 of 50; scaled to"
                    + " the 10% proportion of the default 10 epochs)").min(0),
            ParamSpec.decimal("warmup-lr", 1.0E-6, "Learning rate at the start of the warm-up (official 1e-6)").min(0),
            ParamSpec.decimal("min-lr", 0.0, "Floor of the cosine (official pre-training 0)").min(0),
            ParamSpec.decimal("weight-decay", 0.05, "AdamW weight decay (official 0.05; none on biases and norms)")
                    .min(0),
            ParamSpec.string("data-dir", "", "Backwards-compatible, only without input 'dataset': folder with the"
                    + " Fashion-MNIST IDX files, or its s3:// / file:// URI (fetched through the artifact store; empty:"
                    + " the Debian package /usr/share/datasets/fashion-mnist or"
                    + " ~/.cache/vlltr/datasets/fashion-mnist)"),
            ParamSpec.integer("eval-batch-size", 256, "Batch size of feature extraction").min(1),
            ParamSpec.integer("loader-threads", 1, "Background threads assembling augmented batches (loader"
                    + " streaming: fetch/decode workers)").min(1),
            ParamSpec.string("device", "cpu", TrainingDevices.HELP),
            ParamSpec.integer("epoch-length", 0, "Images drawn per epoch (0 = the train-set size N, as the official"
                    + " sampler; smaller for smoke tests)").min(0),
            TrainBatches.param(),
            TrainBatches.checkpointParam(),
            StageDataset.splitsParam());

    private static final Logger LOG = LoggerFactory.getLogger(CvlpSettings.class);

    private final StageParams p;
    private final PaperPreset preset;
    private TrainingDevices devices;

    /**
     * The typed parameters, a preset's values in place of the defaults; ranges were checked by the runtime, the rules
     * linking two parameters here.
     */
    CvlpSettings(StageParams given) {
        this.preset = PaperPreset.named(given.string("preset")).orElse(null);
        this.p = preset == null ? given : given.withPreset(preset.cvlp());
        if (preset != null) {
            LOG.info("preset {} ({}, {}): parameters not given take {}", preset.name(), preset.dataset(),
                    preset.cvlpSource(), preset.cvlp());
            List<String> absent = given.undeclared(preset.cvlp());
            if (!absent.isEmpty()) {
                LOG.warn("preset {}: this build's cvlp has no parameter {}; those values are not applied",
                        preset.name(), absent);
            }
        }
        validate();
    }

    /**
     * @param classes the dataset's classes
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

    private void validate() {
        try {
            devices = TrainingDevices.parseParameter(p.string("device"), Engine.getInstance().getGpuCount(), "device");
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        if (textWidth() % textHeads() != 0) {
            throw new BadInputException("parameter 'text-width': expected a multiple of text-heads (" + textHeads()
                    + "), got " + textWidth());
        }
        // not a range: ResNet depths of the CIFAR layout step by 6
        if ((depth() - 2) % 6 != 0) {
            throw new BadInputException("parameter 'depth': expected a CIFAR ResNet depth 6n+2 (8, 14, 20, 32, ...),"
                    + " got " + depth());
        }
        if (warmupEpochs() > 0 && warmupEpochs() >= epochs()) {
            throw new BadInputException("parameter 'warmup-epochs': expected 0 <= warmup-epochs < epochs ("
                    + epochs() + "), got " + warmupEpochs());
        }
        if (minLr() > lr()) {
            throw new BadInputException("parameters 'min-lr'/'warmup-lr': expected 0 <= min-lr <= lr and warmup-lr"
                    + " >= 0, got min-lr " + minLr() + ", warmup-lr " + warmupLr());
        }
    }

    /** Whether the text tower is CLIP's text transformer. */
    boolean clipText() {
        return CvlpModelConfig.TEXT_CLIP.equals(textEncoder());
    }

    /** @return resnet20, resnet50 or vit-b16 */
    String backbone() {
        return p.string("backbone");
    }

    /** Whether a tower comes from a CLIP bundle. */
    boolean clipTowers() {
        return clipText() || !backbone().equals(CvlpModelConfig.BACKBONE_RESNET20);
    }

    /** Whether a CLIP ResNet's BatchNorm uses batch statistics while training (official ImageNet-LT: no). */
    boolean clipBatchNormTrain() {
        return p.string("clip-batchnorm").equals("train");
    }

    /** @return the CLIP image side, 0 = the bundle's */
    int imageSize() {
        return p.integer("image-size");
    }

    /** Whether the text tower is the scratch Transformer (else frozen MiniLM + MLP). */
    boolean scratchText() {
        return CvlpModelConfig.TEXT_SCRATCH.equals(textEncoder());
    }

    /** Where to train (checked against the machine's GPUs). */
    TrainingDevices devices() {
        return devices;
    }

    String dataset() {
        return p.string("dataset");
    }

    double imbalanceFactor() {
        return p.decimal("imbalance-factor");
    }

    int epochs() {
        return p.integer("epochs");
    }

    int batchSize() {
        return p.integer("batch-size");
    }

    double lr() {
        return p.decimal("lr");
    }

    double lambda() {
        return p.decimal("lambda");
    }

    /** The ltr-core sampler name. */
    String sampler() {
        String s = p.string("sampler");
        return s.equals("class-balanced") ? "class" : s;
    }

    long seed() {
        return p.integer("seed");
    }

    int depth() {
        return p.integer("depth");
    }

    int embedDim() {
        return p.integer("embed-dim");
    }

    int textHiddenDim() {
        return p.integer("text-hidden-dim");
    }

    /** minilm or scratch ({@code CvlpModelConfig.TEXT_*}). */
    String textEncoder() {
        return p.string("text-encoder");
    }

    int textWidth() {
        return p.integer("text-width");
    }

    int textLayers() {
        return p.integer("text-layers");
    }

    int textHeads() {
        return p.integer("text-heads");
    }

    int textMaxLength() {
        return p.integer("text-max-length");
    }

    int textVocabSize() {
        return p.integer("text-vocab-size");
    }

    boolean trainText() {
        return p.string("text-projection").equals("trainable");
    }

    int warmupEpochs() {
        return p.integer("warmup-epochs");
    }

    double warmupLr() {
        return p.decimal("warmup-lr");
    }

    double minLr() {
        return p.decimal("min-lr");
    }

    double weightDecay() {
        return p.decimal("weight-decay");
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

    int loaderThreads() {
        return p.integer("loader-threads");
    }

    String loader() {
        return p.string(TrainBatches.PARAM);
    }

    int checkpointEveryBatches() {
        return p.integer(TrainBatches.CHECKPOINT_PARAM);
    }

    int epochLength() {
        return p.integer("epoch-length");
    }
}
