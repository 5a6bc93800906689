package dev.vlltr.core.data;

import java.util.List;
import java.util.Random;

/** An image dataset held in memory as one unsigned-byte array (CHW per image, images concatenated). */
public final class InMemoryImageDataset implements ImageDataset {

    private final String name;
    private final byte[] pixels;
    private final int[] labels;
    private final List<String> classNames;
    private final int channels;
    private final int height;
    private final int width;

    /**
     * @param name a name for messages (e.g. {@code fashion-mnist/train})
     * @param pixels all images, CHW each, concatenated; length {@code labels.length * channels * height * width}
     * @param labels one label per image, each in {@code [0, classNames.size())}
     * @param classNames class names, index = label
     * @param channels channels per image
     * @param height image height
     * @param width image width
     */
    public InMemoryImageDataset(String name, byte[] pixels, int[] labels, List<String> classNames, int channels,
            int height, int width) {
        this.name = name;
        this.classNames = List.copyOf(classNames);
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException(name + ": image shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException(name + ": pixel array (field 'pixels') has " + pixels.length
                    + " bytes, expected " + expected + " for " + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= this.classNames.size()) {
                throw new IllegalArgumentException(name + ": label (field 'labels[" + i + "]') = " + labels[i]
                        + " is out of range, expected 0.." + (this.classNames.size() - 1));
            }
        }
        this.pixels = pixels;
        this.labels = labels.clone();
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    /** @return the name given at construction */
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[index];
    }

    @Override
    public int[] labels() {
        return labels.clone();
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

    @Override
    public byte[] pixels(int index, Random random) {
        int size = channels * height * width;
        byte[] out = new byte[size];
        System.arraycopy(pixels, index * size, out, 0, size);
        return out;
    }

    /**
     * One pixel value without copying the image.
     *
     * @return the unsigned value 0..255
     */
    public int pixel(int index, int channel, int y, int x) {
        return pixels[((index * channels + channel) * height + y) * width + x] & 0xFF;
    }
}
