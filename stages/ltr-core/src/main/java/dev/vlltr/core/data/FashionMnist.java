package dev.vlltr.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017): 60,000 train / 10,000 test grey 28×28 images, 10 classes, 6,000 train and 1,000
 * test images per class. Reads the official IDX files (gz or raw) through a {@link DataSource} that maps the file
 * stems ({@code train-images-idx3-ubyte}, ...) to streams; the stage layer locates and verifies the files.
 */
public final class FashionMnist {

    /** Class names in label order, as in the official README. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Channel mean of the train images in [0, 1] (the value commonly used for normalisation). */
    public static final float MEAN = 0.2860f;
    /** Channel standard deviation of the train images in [0, 1]. */
    public static final float STD = 0.3530f;

    public static final int HEIGHT = 28;
    public static final int WIDTH = 28;

    /** The official splits and their file stems. */
    public enum Split {
        TRAIN("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
        TEST("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

        private final String imagesStem;
        private final String labelsStem;

        Split(String imagesStem, String labelsStem) {
            this.imagesStem = imagesStem;
            this.labelsStem = labelsStem;
        }

        public String imagesStem() {
            return imagesStem;
        }

        public String labelsStem() {
            return labelsStem;
        }
    }

    private FashionMnist() {
    }

    /**
     * Loads one split.
     *
     * @param source opener for the file stems of {@link Split}
     * @return the images (1×28×28 uint8) with labels and {@link #CLASS_NAMES}
     */
    public static ImageDataset load(DataSource source, Split split) throws IOException {
        IdxArray images;
        try (InputStream in = source.open(split.imagesStem())) {
            images = IdxReader.read(in, split.imagesStem(), 3);
        }
        IdxArray labels;
        try (InputStream in = source.open(split.labelsStem())) {
            labels = IdxReader.read(in, split.labelsStem(), 1);
        }
        return fromIdx(images, labels, "fashion-mnist/" + split.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Builds a dataset from an image tensor (N×28×28) and a label tensor (N), checking shapes, counts and label
     * range.
     */
    public static ImageDataset fromIdx(IdxArray images, IdxArray labels, String name) {
        int[] d = images.dims();
        if (d[1] != HEIGHT || d[2] != WIDTH) {
            throw new IllegalArgumentException(images.source() + ": field 'dims' is " + d[0] + "x" + d[1] + "x" + d[2]
                    + ", expected Nx28x28 (Fashion-MNIST images)");
        }
        if (labels.dims()[0] != d[0]) {
            throw new IllegalArgumentException(labels.source() + ": field 'count' is " + labels.dims()[0]
                    + " labels but " + images.source() + " has " + d[0] + " images; they must match");
        }
        byte[] raw = labels.data();
        int[] lb = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            lb[i] = raw[i] & 0xff;
            if (lb[i] >= CLASS_NAMES.size()) {
                throw new IllegalArgumentException(labels.source() + ": field 'label[" + i + "]' is " + lb[i]
                        + ", expected 0.." + (CLASS_NAMES.size() - 1));
            }
        }
        return new ImageDataset(name, images.data(), 1, HEIGHT, WIDTH, lb, CLASS_NAMES);
    }
}
