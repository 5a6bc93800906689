package dev.vlltr.core.dataset;

import dev.vlltr.core.data.DataSource;
import dev.vlltr.core.data.IdxArray;
import dev.vlltr.core.data.IdxReader;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.train.LongTailData;
import java.io.IOException;
import java.io.InputStream;

/**
 * The in-memory path for small IDX datasets (Fashion-MNIST): a resolved spec whose splits are {@code format: idx}
 * loaded into {@link ImageDataset}s and cut by the spec's long-tail record, giving the same {@link LongTailData} the
 * training stages build today from the benchmark enum (same images, labels and order). Larger datasets stream
 * ({@link StreamingLoader}).
 */
public final class InMemorySplits {

    private InMemorySplits() {
    }

    /**
     * @param d      a resolved spec with IDX train and test splits and a {@code longTail} block
     * @param images opener of the images root (the IDX files; gzip or raw)
     */
    public static LongTailData load(ResolvedDataset d, DataSource images) throws IOException {
        DatasetSpec.Splits s = d.spec().splits();
        if (!DatasetSpec.Split.IDX.equals(s.train().format()) || !DatasetSpec.Split.IDX.equals(s.test().format())
                || d.longTailSplit() == null || s.val() != null) {
            throw new DatasetSpecException(d.spec().name() + ": field 'splits' must be idx train and test splits with a"
                    + " longTail block drawing val, for the in-memory path; other layouts stream");
        }
        ImageDataset train = idx(s.train(), d, images, d.spec().name() + "/train-source");
        ImageDataset test = idx(s.test(), d, images, d.spec().name() + "/test");
        return new LongTailData(d.longTailSplit().trainSet(train), d.longTailSplit().valSet(train), test,
                d.longTailSplit());
    }

    private static ImageDataset idx(DatasetSpec.Split split, ResolvedDataset d, DataSource images, String name)
            throws IOException {
        IdxArray pixels;
        try (InputStream in = images.open(split.file())) {
            pixels = IdxReader.read(in, split.file());
        }
        IdxArray labels;
        try (InputStream in = images.open(split.labels())) {
            labels = IdxReader.read(in, split.labels());
        }
        int[] dims = pixels.dims();
        if (dims.length != 3 || labels.dims().length != 1 || labels.dims()[0] != dims[0]) {
            throw new DatasetSpecException(split.file() + ": field 'dims' is " + java.util.Arrays.toString(dims)
                    + " with " + java.util.Arrays.toString(labels.dims()) + " labels, expected N x H x W images and N"
                    + " labels");
        }
        int channels = d.spec().geometry().channels();
        if (channels != 1) {
            throw new DatasetSpecException(d.spec().name() + ": field 'geometry.channels' is " + channels
                    + ", expected 1 for IDX (grey) images");
        }
        byte[] raw = labels.data();
        int[] lb = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            lb[i] = raw[i] & 0xff;
        }
        return new ImageDataset(name, pixels.data(), 1, dims[1], dims[2], lb, d.classNames());
    }
}
