package dev.vlltr.core.dataset;

import dev.vlltr.core.data.DataSource;
import dev.vlltr.core.data.ImageSet;
import java.util.List;

/**
 * One split of a list, folder or iNaturalist dataset whose images are decoded only when read: each read opens the
 * image through the dataset's {@link DataSource} and decodes it at the spec's evaluation geometry (resize + centre
 * crop, rounded to 8 bits) with the very code {@link InMemorySplits#decode} uses, so the values are bit-identical to
 * the in-memory set's. It holds the split's paths and labels only (a few MB for ImageNet-LT), so memory does not grow
 * with the number of images; labels, class counts and long-tail subsets need no decoding. Reads may run concurrently
 * (the {@code DataSource} must allow concurrent opens); a missing or undecodable image fails when read with a
 * {@link DatasetSpecException} naming the list file, line and field, as the in-memory path does when loading.
 */
public final class LazySplitImages implements ImageSet {

    private final String name;
    private final LabelledImages split;
    private final DataSource files;
    private final ImageTransform resize;
    private final List<String> classNames;
    private final int[] labels;

    private LazySplitImages(String name, LabelledImages split, DataSource files, ImageTransform resize,
            List<String> classNames) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": field 'classNames' is empty");
        }
        for (int i = 0; i < split.size(); i++) {
            int l = split.labels()[i];
            if (l < 0 || l >= classNames.size()) {
                throw new DatasetSpecException(split.where(i) + ": field 'label' is " + l + ", expected 0.."
                        + (classNames.size() - 1));
            }
        }
        this.name = name;
        this.split = split;
        this.files = files;
        this.resize = resize;
        this.classNames = List.copyOf(classNames);
        this.labels = split.labels().clone();
    }

    /**
     * @param split the split's paths and labels (a resolved spec's {@code sourceTrain()}, {@code val()} or
     *              {@code test()})
     * @param d     the resolved spec (geometry, class names)
     * @param files opener of the images root
     * @param name  a short description for messages, e.g. {@code imagenet-lt/test}
     */
    public static LazySplitImages of(LabelledImages split, ResolvedDataset d, DataSource files, String name) {
        return new LazySplitImages(name, split, files, InMemorySplits.evalResize(d), d.classNames());
    }

    /** @return the paths, labels and list lines this set reads */
    public LabelledImages split() {
        return split;
    }

    /** @return image {@code i} decoded, {@code C × H × W} unsigned bytes */
    @Override
    public byte[] imageBytes(int i) {
        byte[] out = new byte[imageSize()];
        InMemorySplits.decodeOne(split, i, files, resize, out, 0);
        return out;
    }

    @Override
    public LazySplitImages subset(int[] indices, String subsetName) {
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= labels.length) {
                throw new IllegalArgumentException(subsetName + ": index " + indices[k] + " at position " + k
                        + " is outside " + name + " (size " + labels.length + ")");
            }
        }
        // the subset keeps each image's list file and line, so errors still name where it is declared
        return new LazySplitImages(subsetName, split.subset(indices, split.source()), files, resize, classNames);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int channels() {
        return resize.channels();
    }

    @Override
    public int height() {
        return resize.size();
    }

    @Override
    public int width() {
        return resize.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public String toString() {
        return "LazySplitImages[" + name + ", " + size() + " images " + channels() + "x" + height() + "x" + width()
                + " decoded when read, " + numClasses() + " classes]";
    }
}
