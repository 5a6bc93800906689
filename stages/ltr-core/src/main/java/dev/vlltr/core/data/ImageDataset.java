package dev.vlltr.core.data;

import java.util.List;

/**
 * An in-memory labelled image set: uint8 pixels in one row-major array of {@code size × C × H × W} bytes, an int label
 * per image and the class names (label {@code c} is {@code classNames.get(c)}). Immutable by contract: the pixel array
 * is owned by the dataset and never handed out.
 */
public final class ImageDataset implements ImageSet {

    private final String name;
    private final byte[] pixels;
    private final int channels;
    private final int height;
    private final int width;
    private final int[] labels;
    private final List<String> classNames;

    /**
     * @param name       a short description for messages (e.g. {@code fashion-mnist/train})
     * @param pixels     {@code labels.length × channels × height × width} unsigned bytes; ownership passes to the
     *                   dataset
     * @param labels     one label per image, each in {@code [0, classNames.size())}
     * @param classNames class names in label order
     */
    public ImageDataset(String name, byte[] pixels, int channels, int height, int width, int[] labels,
            List<String> classNames) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(name + ": image shape " + channels + "x" + height + "x" + width
                    + " must be positive");
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(name + ": field 'pixels' has " + pixels.length + " bytes, expected "
                    + expected + " (" + labels.length + " images of " + channels + "x" + height + "x" + width + ")");
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException(name + ": field 'classNames' is empty");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": field 'labels[" + i + "]' is " + labels[i]
                        + ", expected 0.." + (classNames.size() - 1));
            }
        }
        this.name = name;
        this.pixels = pixels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.labels = labels.clone();
        this.classNames = List.copyOf(classNames);
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
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    /** @return {@code C × H × W} */
    @Override
    public int imageSize() {
        return channels * height * width;
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    /** @return a copy of all labels */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** @return the uint8 value (0..255) of pixel {@code (c, y, x)} of image {@code i} */
    public int pixel(int i, int c, int y, int x) {
        return pixels[((i * channels + c) * height + y) * width + x] & 0xff;
    }

    /** @return a copy of image {@code i}'s bytes, {@code C × H × W} */
    @Override
    public byte[] imageBytes(int i) {
        byte[] out = new byte[imageSize()];
        System.arraycopy(pixels, i * imageSize(), out, 0, out.length);
        return out;
    }

    /**
     * Writes image {@code i} scaled to [0, 1] (value / 255, as torchvision's {@code ToTensor}) into {@code dst}.
     */
    @Override
    public void imageAsFloats(int i, float[] dst, int dstOffset) {
        int size = imageSize();
        int base = i * size;
        for (int k = 0; k < size; k++) {
            dst[dstOffset + k] = (pixels[base + k] & 0xff) / 255f;
        }
    }

    @Override
    public boolean inMemory() {
        return true;
    }

    /** @return images per class, indexed by label */
    @Override
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * @param indices images to keep, in this order (repeats allowed)
     * @return a new dataset holding copies of those images and labels, same class names
     */
    @Override
    public ImageDataset subset(int[] indices, String subsetName) {
        int size = imageSize();
        byte[] px = new byte[Math.multiplyExact(indices.length, size)];
        int[] lb = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new IllegalArgumentException(subsetName + ": index " + i + " at position " + k
                        + " is outside " + name + " (size " + labels.length + ")");
            }
            System.arraycopy(pixels, i * size, px, k * size, size);
            lb[k] = labels[i];
        }
        return new ImageDataset(subsetName, px, channels, height, width, lb, classNames);
    }

    @Override
    public String toString() {
        return "ImageDataset[" + name + ", " + size() + " images " + channels + "x" + height + "x" + width + ", "
                + numClasses() + " classes]";
    }
}
