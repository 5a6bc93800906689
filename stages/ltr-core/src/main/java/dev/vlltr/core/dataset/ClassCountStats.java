package dev.vlltr.core.dataset;

import java.util.Arrays;

/**
 * The long-tail shape of a split's class counts: the head (largest) and tail (smallest) class sizes, the imbalance
 * factor {@code n_max / n_min}, and the Decoupling/OLTR shot groups (many {@code > 100}, medium {@code 20..100}, few
 * {@code < 20} images).
 *
 * @param counts images per class, by label
 */
public record ClassCountStats(int[] counts) {

    public static ClassCountStats of(LabelledImages split) {
        return new ClassCountStats(split.classCounts());
    }

    public int total() {
        return Arrays.stream(counts).sum();
    }

    public int head() {
        return Arrays.stream(counts).max().orElse(0);
    }

    public int tail() {
        return Arrays.stream(counts).min().orElse(0);
    }

    /** @return {@code head / tail}, infinite when a class is empty */
    public double imbalanceFactor() {
        return tail() == 0 ? Double.POSITIVE_INFINITY : (double) head() / tail();
    }

    public int manyShotClasses() {
        return (int) Arrays.stream(counts).filter(n -> n > 100).count();
    }

    public int mediumShotClasses() {
        return (int) Arrays.stream(counts).filter(n -> n >= 20 && n <= 100).count();
    }

    public int fewShotClasses() {
        return (int) Arrays.stream(counts).filter(n -> n < 20).count();
    }
}
