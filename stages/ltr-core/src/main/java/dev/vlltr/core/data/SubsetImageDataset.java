package dev.vlltr.core.data;

import java.util.List;
import java.util.Random;

/** A view of selected images of another dataset (e.g. a long-tailed subset); pixels are not copied. */
final class SubsetImageDataset implements ImageDataset {

    private final ImageDataset base;
    private final int[] indices;

    SubsetImageDataset(ImageDataset base, int[] indices) {
        this.base = base;
        this.indices = indices.clone();
        for (int i = 0; i < this.indices.length; i++) {
            if (this.indices[i] < 0 || this.indices[i] >= base.size()) {
                throw new IllegalArgumentException("subset index [" + i + "] = " + this.indices[i]
                        + " is outside the base dataset (size " + base.size() + ")");
            }
        }
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public List<String> classNames() {
        return base.classNames();
    }

    @Override
    public int label(int index) {
        return base.label(indices[index]);
    }

    @Override
    public int channels() {
        return base.channels();
    }

    @Override
    public int height() {
        return base.height();
    }

    @Override
    public int width() {
        return base.width();
    }

    @Override
    public byte[] pixels(int index, Random random) {
        return base.pixels(indices[index], random);
    }
}
