package dev.vlltr.core.dataset;

import dev.vlltr.core.data.ClassOrder;
import dev.vlltr.core.data.LongTailProfile;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.data.LongTailSplitter;

/**
 * Turns a spec's {@code longTail} block into the existing {@link LongTailSplitter} (LDAM's exponential profile,
 * numpy-identical shuffles), so a spec reproduces the index records the Fashion-MNIST benchmark enum produced: same
 * profile, seed, class order and validation size give the same train and val indices.
 */
public final class SpecLongTail {

    private SpecLongTail() {
    }

    /** @return the splitter the block describes, for {@code numClasses} classes, recording the spec's name */
    public static LongTailSplitter splitter(DatasetSpec spec, int numClasses) {
        DatasetSpec.LongTail lt = spec.longTail();
        if (lt == null) {
            throw new IllegalArgumentException(spec.name() + ": has no longTail block");
        }
        ClassOrder order = switch (lt.classOrderOrDefault()) {
            case "reversed" -> ClassOrder.reversed();
            case "shuffled" -> ClassOrder.shuffled(lt.seedOrDefault());
            default -> ClassOrder.natural();
        };
        return LongTailSplitter.builder()
                .setProfile(new LongTailProfile(numClasses, lt.maxPerClass(), lt.imbalanceFactor()))
                .optClassOrder(order).optSeed(lt.seedOrDefault()).optValPerClass(lt.valPerClassOrDefault())
                .optBenchmarkName(spec.name()).build();
    }

    /**
     * @param labels      labels of the balanced train split
     * @param datasetName recorded in the index (e.g. {@code fashion-mnist/train})
     */
    public static LongTailSplit split(DatasetSpec spec, int numClasses, int[] labels, String datasetName) {
        try {
            return splitter(spec, numClasses).split(labels, datasetName);
        } catch (IllegalArgumentException e) {
            throw new DatasetSpecException(spec.name() + ": field 'longTail' cannot be drawn from the train split: "
                    + e.getMessage(), e);
        }
    }
}
