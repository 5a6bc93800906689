package dev.vlltr.core.train;

import dev.vlltr.core.data.ClassOrder;
import dev.vlltr.core.data.DataSource;
import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.data.LongTailBenchmark;
import dev.vlltr.core.data.LongTailProfile;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.data.LongTailSplitter;
import java.io.IOException;
import java.util.Locale;

/**
 * The three image sets a training stage works on — the long-tailed train subset, the balanced validation split
 * (disjoint from it) and the official test set — with the split record that produced them.
 *
 * <p>Dataset names ({@link #splitter}): {@code fashion-mnist} is the Fashion-MNIST long tail with {@code n_max = 6000},
 * 20 validation images per class and the given imbalance factor (at IF 100 exactly {@code fmnist-lt-if100}); a
 * benchmark name ({@code fmnist-lt-if100}, {@code fmnist-lt-fewshot}, {@code fmnist-lt-quick}) selects that
 * benchmark as defined, its own imbalance factor included. Natural class order (class 0 is the head).
 *
 * @param train the long-tailed train subset
 * @param val   the balanced validation split
 * @param test  the official test set
 * @param split the index record
 */
public record LongTailData(ImageDataset train, ImageDataset val, ImageDataset test, LongTailSplit split) {

    /** The built-in dataset name. */
    public static final String FASHION_MNIST = "fashion-mnist";

    /**
     * @param dataset {@code fashion-mnist} or a benchmark name
     * @param imbalanceFactor used with {@code fashion-mnist}; a benchmark keeps its own
     * @param seed subset seed
     * @return the splitter
     * @throws IllegalArgumentException naming the known datasets
     */
    public static LongTailSplitter splitter(String dataset, double imbalanceFactor, long seed) {
        String name = dataset == null ? "" : dataset.toLowerCase(Locale.ROOT);
        if (name.equals(FASHION_MNIST)) {
            return LongTailSplitter.builder()
                    .setProfile(new LongTailProfile(FashionMnist.CLASS_NAMES.size(), 6000, imbalanceFactor))
                    .optValPerClass(20).optSeed(seed).optClassOrder(ClassOrder.natural())
                    .optBenchmarkName(imbalanceFactor == 100 ? LongTailBenchmark.FMNIST_LT_IF100.id()
                            : "fmnist-lt-if" + stripZeros(imbalanceFactor))
                    .build();
        }
        try {
            return LongTailBenchmark.byName(name).splitter().optSeed(seed).optClassOrder(ClassOrder.natural()).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dataset '" + dataset + "' is unknown: expected " + FASHION_MNIST
                    + " or a benchmark (fmnist-lt-if100, fmnist-lt-fewshot, fmnist-lt-quick)");
        }
    }

    /** @return whether {@code dataset} names a benchmark with its own imbalance factor */
    public static boolean isBenchmark(String dataset) {
        return dataset != null && !dataset.equalsIgnoreCase(FASHION_MNIST);
    }

    /** Loads Fashion-MNIST and draws the split. */
    public static LongTailData fashionMnist(DataSource source, LongTailSplitter splitter) throws IOException {
        ImageDataset full = FashionMnist.load(source, FashionMnist.Split.TRAIN);
        return of(full, FashionMnist.load(source, FashionMnist.Split.TEST), splitter.split(full));
    }

    /** Loads Fashion-MNIST and applies a recorded split (verified against the labels). */
    public static LongTailData fashionMnist(DataSource source, LongTailSplit split, String splitSource)
            throws IOException {
        ImageDataset full = FashionMnist.load(source, FashionMnist.Split.TRAIN);
        split.verifyAgainst(full.labels(), splitSource);
        return of(full, FashionMnist.load(source, FashionMnist.Split.TEST), split);
    }

    private static LongTailData of(ImageDataset full, ImageDataset test, LongTailSplit split) {
        return new LongTailData(split.trainSet(full), split.valSet(full), test, split);
    }

    private static String stripZeros(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
