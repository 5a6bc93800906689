package dev.vlltr.core.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Test fixture: the long-tailed Fashion-MNIST profiles as literals (the Java enum the stages used before the dataset
 * specs), so the splitter's unit tests and {@code FashionMnistSpecTest} can check that the shipped specs
 * {@code datasets/fmnist-lt-*} draw exactly these splits. Natural class order, seed 0 unless overridden. Profile counts by class
 * (T-shirt/top first):
 * <ul>
 *   <li>{@code fmnist-lt-if100}: n_max 6000, IF 100, val 20/class; profile
 *       {@code 6000,3596,2156,1292,774,464,278,166,100,60} (14,886 images). Fashion-MNIST has exactly 6000 train
 *       images per class, so the head class is capped at 5980 to leave 20 for validation: the subset has 14,866
 *       images. Use {@code optValPerClass(0)} on the splitter for the exact profile.</li>
 *   <li>{@code fmnist-lt-fewshot}: n_max 1000, IF 100, val 20/class; {@code 1000,599,359,215,129,77,46,27,16,10}
 *       (2,478 images; classes 8 and 9 have fewer than 20, the "few" shot group).</li>
 *   <li>{@code fmnist-lt-quick}: n_max 300, IF 10, val 10/class; {@code 300,232,179,139,107,83,64,50,38,30} (1,222
 *       images), for CI and {@code --quick} runs.</li>
 * </ul>
 */
public enum FmnistBenchmarks {

    FMNIST_LT_IF100("fmnist-lt-if100", 6000, 100, 20),
    FMNIST_LT_FEWSHOT("fmnist-lt-fewshot", 1000, 100, 20),
    FMNIST_LT_QUICK("fmnist-lt-quick", 300, 10, 10);

    private final String id;
    private final int maxPerClass;
    private final double imbalanceFactor;
    private final int valPerClass;

    FmnistBenchmarks(String id, int maxPerClass, double imbalanceFactor, int valPerClass) {
        this.id = id;
        this.maxPerClass = maxPerClass;
        this.imbalanceFactor = imbalanceFactor;
        this.valPerClass = valPerClass;
    }

    /** @return the name used on command lines and in index records, e.g. {@code fmnist-lt-if100} */
    public String id() {
        return id;
    }

    public int valPerClass() {
        return valPerClass;
    }

    public LongTailProfile profile() {
        return new LongTailProfile(FashionMnist.CLASS_NAMES.size(), maxPerClass, imbalanceFactor);
    }

    /** @return a splitter builder preset to this benchmark (seed 0, natural order); options may be overridden */
    public LongTailSplitter.Builder splitter() {
        return LongTailSplitter.builder().setProfile(profile()).optValPerClass(valPerClass).optBenchmarkName(id);
    }

    /**
     * @param name a benchmark id such as {@code fmnist-lt-if100} (case-insensitive)
     * @throws IllegalArgumentException naming the known benchmarks
     */
    public static FmnistBenchmarks byName(String name) {
        for (FmnistBenchmarks b : values()) {
            if (b.id.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new IllegalArgumentException("benchmark '" + name + "' is unknown, expected one of "
                + Arrays.stream(values()).map(FmnistBenchmarks::id).collect(Collectors.joining(", ")));
    }
}
