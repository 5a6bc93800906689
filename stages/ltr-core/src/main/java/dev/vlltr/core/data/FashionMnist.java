package dev.vlltr.core.data;

import java.io.IOException;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017): 28×28 grayscale, 10 classes, 60,000 train / 10,000 test images, read from the
 * official IDX files (gzip or raw) through a {@link DataSource}.
 *
 * <p>The Debian package {@code dataset-fashion-mnist} installs the files under {@link #DEBIAN_DIRECTORY}; the stage
 * layer passes a source over that directory (or an artifact store prefix).
 */
public final class FashionMnist {

    /** Where {@code apt-get install dataset-fashion-mnist} puts the files (a hint for the stage layer). */
    public static final String DEBIAN_DIRECTORY = "/usr/share/datasets/fashion-mnist";

    /** Class names in the official label order (label 0 first). */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Mean pixel of the train set on the [0, 1] scale (72.94 / 255). */
    public static final float MEAN = 0.2860f;

    /** Pixel standard deviation of the train set on the [0, 1] scale. */
    public static final float STD = 0.3530f;

    /** Image side in pixels. */
    public static final int SIZE = 28;

    /** The official splits and their file names. */
    public enum Split {
        /** 60,000 images, 6,000 per class. */
        TRAIN("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
        /** 10,000 images, 1,000 per class. */
        TEST("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

        private final String imagesFile;
        private final String labelsFile;

        Split(String imagesFile, String labelsFile) {
            this.imagesFile = imagesFile;
            this.labelsFile = labelsFile;
        }

        /** @return the official images file name (gzip) */
        public String imagesFile() {
            return imagesFile;
        }

        /** @return the official labels file name (gzip) */
        public String labelsFile() {
            return labelsFile;
        }
    }

    private FashionMnist() {}

    /**
     * Loads one split with the official file names.
     *
     * @param source where the IDX files are
     * @param split train or test
     * @return the images in memory, shape 1×28×28
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException if a file is malformed or the files do not match
     */
    public static InMemoryImageDataset load(DataSource source, Split split) throws IOException {
        return load(source, split.imagesFile(), split.labelsFile(), "fashion-mnist/" + split.name().toLowerCase());
    }

    /**
     * Loads an images file and a labels file with these names (e.g. uncompressed copies).
     *
     * @param source where the IDX files are
     * @param imagesName the images IDX file (3 dims: count, 28, 28)
     * @param labelsName the labels IDX file (1 dim: count), values 0..9
     * @param datasetName a name for the dataset
     * @return the images in memory, shape 1×28×28
     * @throws IOException if a file cannot be read
     */
    public static InMemoryImageDataset load(DataSource source, String imagesName, String labelsName, String datasetName)
            throws IOException {
        IdxArray images = IdxReader.read(source, imagesName);
        IdxArray labels = IdxReader.read(source, labelsName);
        return fromIdx(images, labels, CLASS_NAMES, datasetName);
    }

    /**
     * Combines an images tensor and a labels tensor into a dataset, checking shapes, counts and label range.
     *
     * @param images IDX tensor with 3 dims (count, height, width)
     * @param labels IDX tensor with 1 dim (count)
     * @param classNames the class names (labels must be below their count)
     * @param datasetName a name for the dataset
     * @return the dataset
     */
    public static InMemoryImageDataset fromIdx(IdxArray images, IdxArray labels, List<String> classNames,
            String datasetName) {
        if (images.dims().length != 3) {
            throw new IllegalArgumentException(images.source() + ": images (field 'dims') must have 3 dimensions "
                    + "(count, height, width), got " + images.dims().length);
        }
        if (labels.dims().length != 1) {
            throw new IllegalArgumentException(labels.source() + ": labels (field 'dims') must have 1 dimension (count), got "
                    + labels.dims().length);
        }
        if (images.count() != labels.count()) {
            throw new IllegalArgumentException("image/label count mismatch: " + images.source() + " (field 'dims[0]') has "
                    + images.count() + " images but " + labels.source() + " (field 'dims[0]') has " + labels.count() + " labels");
        }
        byte[] raw = labels.data();
        int[] labelValues = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            labelValues[i] = raw[i] & 0xFF;
            if (labelValues[i] >= classNames.size()) {
                throw new IllegalArgumentException(labels.source() + ": label (field 'labels[" + i + "]') = " + labelValues[i]
                        + " is out of range, expected 0.." + (classNames.size() - 1));
            }
        }
        return new InMemoryImageDataset(datasetName, images.data(), labelValues, classNames, 1, images.dims()[1],
                images.dims()[2]);
    }
}
