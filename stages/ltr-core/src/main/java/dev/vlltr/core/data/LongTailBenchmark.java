package dev.vlltr.core.data;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Named long-tailed benchmark configurations over Fashion-MNIST train (6,000 images per class), natural class order
 * (T-shirt/top is the head, Ankle boot the tail), seed 0. Validation images come from the train images not in the
 * subset; the official test set (1,000 per class) is used unchanged.
 *
 * <table>
 *   <caption>Per-class train counts (class 0 .. 9)</caption>
 *   <tr><th>name</th><th>n_max</th><th>IF</th><th>val/class</th><th>train per class</th><th>total</th></tr>
 *   <tr><td>fmnist-lt-if100</td><td>6000</td><td>100</td><td>20</td>
 *       <td>5980*, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60</td><td>14866</td></tr>
 *   <tr><td>fmnist-lt-fewshot</td><td>1000</td><td>100</td><td>20</td>
 *       <td>1000, 599, 359, 215, 129, 77, 46, 27, 16, 10</td><td>2478</td></tr>
 *   <tr><td>fmnist-lt-quick</td><td>300</td><td>10</td><td>10</td>
 *       <td>300, 232, 179, 139, 107, 83, 64, 50, 38, 30</td><td>1222</td></tr>
 * </table>
 *
 * <p>* The profile gives 6000 for the head class, which is the whole class; 20 of its images are held out for
 * validation, so it keeps 5980 ({@link LongTailSubsetGenerator.Builder#optCapToLeaveValidation(boolean)}).
 */
public enum LongTailBenchmark {

    /** The CIFAR-LT IF 100 protocol on Fashion-MNIST. */
    FMNIST_LT_IF100("fmnist-lt-if100", 6000, 100, 20),
    /** Ten times fewer images: the two tail classes have fewer than 20 (few-shot). */
    FMNIST_LT_FEWSHOT("fmnist-lt-fewshot", 1000, 100, 20),
    /** Tiny, for CI and {@code --quick} runs. */
    FMNIST_LT_QUICK("fmnist-lt-quick", 300, 10, 10);

    /** Seed of every named benchmark. */
    public static final long SEED = 0;

    private final String id;
    private final int nMax;
    private final double imbalanceFactor;
    private final int valPerClass;

    LongTailBenchmark(String id, int nMax, double imbalanceFactor, int valPerClass) {
        this.id = id;
        this.nMax = nMax;
        this.imbalanceFactor = imbalanceFactor;
        this.valPerClass = valPerClass;
    }

    /** @return the name used in parameters and index files, e.g. {@code fmnist-lt-if100} */
    public String id() {
        return id;
    }

    /** @return head-class size of the profile */
    public int nMax() {
        return nMax;
    }

    /** @return imbalance factor */
    public double imbalanceFactor() {
        return imbalanceFactor;
    }

    /** @return validation images per class */
    public int valPerClass() {
        return valPerClass;
    }

    /** @return a generator for this benchmark (seed 0, natural order) */
    public LongTailSubsetGenerator generator() {
        return LongTailSubsetGenerator.builder().setNMax(nMax).setImbalanceFactor(imbalanceFactor)
                .optValPerClass(valPerClass).optSeed(SEED).optClassOrder(ClassOrder.natural())
                .optCapToLeaveValidation(true).optBenchmark(id).build();
    }

    /**
     * @param trainSet the Fashion-MNIST train set
     * @return the benchmark's index
     */
    public LongTailIndex generate(ImageDataset trainSet) {
        return generator().generate(trainSet);
    }

    /**
     * @param id a benchmark name ({@code fmnist-lt-if100}, ...)
     * @return the benchmark
     */
    public static LongTailBenchmark byId(String id) {
        for (LongTailBenchmark b : values()) {
            if (b.id.equals(id)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown benchmark '" + id + "', expected one of "
                + Arrays.stream(values()).map(LongTailBenchmark::id).collect(Collectors.joining(", ")));
    }
}
