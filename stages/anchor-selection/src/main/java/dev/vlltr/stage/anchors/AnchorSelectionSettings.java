package dev.vlltr.stage.anchors;

import dev.vlltr.core.train.AnchorSentenceSelection;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageParams;
import dev.vlltr.stagedata.StageDataset;
import java.util.List;

/** The parameters of {@code anchor-selection} with their defaults and ranges (checked by the runtime). */
final class AnchorSelectionSettings {

    /** Every parameter, in {@code --help} order. */
    static final List<ParamSpec> PARAMS = List.of(
            ParamSpec.integer("m", 64, "Anchor sentences per class M (official 64); classes with fewer keep all,"
                    + " padded and masked").min(1),
            ParamSpec.choice("strategy", "anss", "anss (official: the M lowest AnSS scores), cutoff (the first M in"
                    + " corpus order) or random (M drawn without replacement, seeded).", "anss", "cutoff", "random"),
            ParamSpec.choice("split", "val", "Images the sentences are scored against: val (official ImageNet-LT /"
                    + " Places-LT: the balanced validation split) or train (iNat).", "train", "val"),
            ParamSpec.integer("images-per-class", 50, "First N images of each class of the split, in list order"
                    + " (official select=True: 50)").min(1),
            ParamSpec.integer("seed", 0, "Seed of the random strategy"),
            ParamSpec.string("data-dir", "", "Backwards-compatible, only without input 'dataset': folder with the"
                    + " Fashion-MNIST IDX files, or its s3:// / file:// URI (fetched through the artifact store; empty:"
                    + " Debian package or cache)"),
            ParamSpec.integer("eval-batch-size", 256, "Batch size of image feature extraction").min(1),
            StageDataset.splitsParam());

    private final StageParams p;

    AnchorSelectionSettings(StageParams p) {
        this.p = p;
    }

    /** Anchor sentences per class M. */
    int m() {
        return p.integer("m");
    }

    AnchorSentenceSelection.Strategy strategy() {
        return AnchorSentenceSelection.Strategy.byName(p.string("strategy"));
    }

    /** anss, cutoff or random, as given. */
    String strategyName() {
        return p.string("strategy");
    }

    /** Whether the sentences are scored against the validation split (else train). */
    boolean onValidation() {
        return p.string("split").equals("val");
    }

    String split() {
        return p.string("split");
    }

    int imagesPerClass() {
        return p.integer("images-per-class");
    }

    long seed() {
        return p.integer("seed");
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
}
