package dev.vlltr.stage.recalibration;

import dev.vlltr.core.calibrate.LabeledFeatures;
import dev.vlltr.core.calibrate.LinearClassifier;
import java.util.List;

/**
 * The frozen features a re-balancing method works on, with the classifier that came with them.
 *
 * @param featureName     which array (e.g. {@code hidden_image}, or {@code ce/features})
 * @param classNames      class names in label order
 * @param train           training features (fit)
 * @param val             balanced validation features (selection of τ and of the best epoch)
 * @param test            test features (evaluation only)
 * @param trainCounts     training images per class (shot groups downstream)
 * @param upstream        the classifier trained with these features upstream (LGR's visual classifier or the CE
 *                        network's head); null when there is none for this feature array
 * @param upstreamName    what {@code upstream} is, for the record
 */
public record FeatureSplits(String featureName, List<String> classNames, LabeledFeatures train, LabeledFeatures val,
        LabeledFeatures test, int[] trainCounts, LinearClassifier upstream, String upstreamName) {

    public int numClasses() {
        return classNames.size();
    }
}
