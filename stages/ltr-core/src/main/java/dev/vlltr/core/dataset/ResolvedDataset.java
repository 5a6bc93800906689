package dev.vlltr.core.dataset;

import dev.vlltr.core.data.LongTailSplit;
import java.util.List;

/**
 * A dataset spec with its files read: class names and the three splits as labelled image paths. With a
 * {@link DatasetSpec#longTail()} block, {@code train} is the long-tailed subset of {@code sourceTrain} and {@code val}
 * (unless the spec lists its own) the balanced split drawn beside it, both recorded in {@code longTailSplit}.
 *
 * @param spec          the spec
 * @param classNames    names in label order
 * @param sourceTrain   the train split as listed
 * @param train         what training uses
 * @param val           the validation split
 * @param test          the test split
 * @param longTailSplit the index record of the long-tail generation, or null
 */
public record ResolvedDataset(DatasetSpec spec, List<String> classNames, LabelledImages sourceTrain,
        LabelledImages train, LabelledImages val, LabelledImages test, LongTailSplit longTailSplit) {

    public int numClasses() {
        return classNames.size();
    }
}
