package dev.vlltr.core.train;

import dev.vlltr.core.data.ImageSet;
import dev.vlltr.core.data.LongTailSplit;

/**
 * The three image sets a training stage works on — the long-tailed train subset, the balanced validation split
 * (disjoint from it, or the dataset's own val list) and the test set — with the split record that produced them.
 * Built from a dataset spec ({@code dev.vlltr.core.dataset.InMemorySplits}); the Fashion-MNIST benchmarks are the
 * specs shipped in {@code datasets/}. The sets are in memory ({@code ImageDataset}) or lazy (decoded when read), as
 * the loader chose; consumers read them through {@link ImageSet} only.
 *
 * @param train the long-tailed train subset
 * @param val   the validation split
 * @param test  the test set
 * @param split the index record
 */
public record LongTailData(ImageSet train, ImageSet val, ImageSet test, LongTailSplit split) {
}
