package dev.vlltr.core.dataset;

import dev.vlltr.core.data.DataSource;
import dev.vlltr.core.data.IdxArray;
import dev.vlltr.core.data.IdxReader;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.data.ImageSet;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.train.LongTailData;
import java.io.IOException;
import java.io.InputStream;

/**
 * The in-memory path for small datasets: a resolved spec's splits loaded into {@link ImageDataset}s. IDX splits
 * (Fashion-MNIST) are read as they are and cut by the spec's long-tail record, giving the same {@link LongTailData} the
 * training stages built from the old benchmark enum (same images, labels and order). Image lists, folders and
 * iNaturalist JSON are decoded once at the spec's evaluation geometry (resize + centre crop, stored as 8-bit like a
 * PIL image), so training augments them with {@link SpecAugmentation}; or, for datasets larger than memory, kept as
 * {@link LazySplitImages} that decode the same bytes when read. Training batches may also stream
 * ({@link StreamingLoader}) with the spec's full training geometry.
 */
public final class InMemorySplits {

    private InMemorySplits() {
    }

    /**
     * @param d      a resolved spec; IDX train and test with a {@code longTail} block drawing val, or image splits
     * @param images opener of the images root (IDX files: gzip or raw; images: JPEG or PNG)
     */
    public static LongTailData load(ResolvedDataset d, DataSource images) throws IOException {
        return load(d, images, d.longTailSplit(), null);
    }

    /**
     * As {@link #load(ResolvedDataset, DataSource)}, with a split recorded by an upstream stage instead of the one the
     * spec draws; it is verified against the labels of the spec's train split.
     *
     * @param recorded    the upstream record, or null for the spec's own
     * @param splitSource names the record in messages
     */
    public static LongTailData load(ResolvedDataset d, DataSource images, LongTailSplit recorded, String splitSource)
            throws IOException {
        return load(d, images, recorded, splitSource, false);
    }

    /**
     * As {@link #load(ResolvedDataset, DataSource, LongTailSplit, String)}, choosing where the image splits live.
     *
     * @param lazy image splits as {@link LazySplitImages} (each image decoded when read: memory independent of the
     *             dataset's size) instead of decoded up front; the bytes read are the same. IDX splits are always
     *             in memory (their files are one array each)
     */
    public static LongTailData load(ResolvedDataset d, DataSource images, LongTailSplit recorded, String splitSource,
            boolean lazy) throws IOException {
        DatasetSpec.Splits s = d.spec().splits();
        boolean idx = isIdx(d);
        LongTailSplit split = recorded != null ? recorded : d.longTailSplit();
        if (idx && (!DatasetSpec.Split.IDX.equals(s.test().format()) || split == null || s.val() != null)) {
            throw new DatasetSpecException(d.spec().name() + ": field 'splits' must be idx train and test splits with a"
                    + " longTail block drawing val, for the in-memory path");
        }
        ImageSet train = idx ? idx(s.train(), d, images, d.spec().name() + "/train-source")
                : images(d.sourceTrain(), d, images, d.spec().name() + "/train-source", lazy);
        if (recorded != null) {
            recorded.verifyAgainst(train.labels(), splitSource);
        }
        if (split == null) { // the spec lists train and val as they are: the whole train split, grouped by class
            split = LongTailSplit.whole(d.spec().name(), d.spec().name() + "/train", train.labels(), d.numClasses());
        }
        ImageSet test = idx ? idx(s.test(), d, images, d.spec().name() + "/test")
                : images(d.test(), d, images, d.spec().name() + "/test", lazy);
        ImageSet val;
        if (s.val() != null) {
            val = images(d.val(), d, images, d.spec().name() + "/val", lazy);
        } else if (split.valPerClass() > 0) {
            val = split.valSet(train);
        } else {
            throw new DatasetSpecException(d.spec().name() + ": field 'splits.val' is missing, expected a val split"
                    + " or a longTail block that draws one");
        }
        return new LongTailData(split.trainSet(train), val, test, split);
    }

    /** @return whether the spec's splits are IDX arrays (always held in memory) rather than image files */
    public static boolean isIdx(ResolvedDataset d) {
        return DatasetSpec.Split.IDX.equals(d.spec().splits().train().format());
    }

    /**
     * @return bytes the image splits take decoded at evaluation geometry (source train + val + test lists, one byte
     *         per channel and pixel): what {@link #load} holds in memory when not lazy; 0 for IDX splits
     */
    public static long decodedBytes(ResolvedDataset d) {
        if (isIdx(d)) {
            return 0;
        }
        ImageTransform resize = evalResize(d);
        long plane = (long) resize.channels() * resize.size() * resize.size();
        long images = (long) d.sourceTrain().size() + d.test().size() + (d.val() != null ? d.val().size() : 0);
        return images * plane;
    }

    private static ImageSet images(LabelledImages split, ResolvedDataset d, DataSource images, String name,
            boolean lazy) throws IOException {
        return lazy ? LazySplitImages.of(split, d, images, name) : decode(split, d, images, name);
    }

    /**
     * Decodes every image of {@code split} at the spec's evaluation geometry ({@code channels × centerCrop²}), in
     * parallel; a missing or undecodable image fails naming its list file, line and field.
     */
    public static ImageDataset decode(LabelledImages split, ResolvedDataset d, DataSource images, String name)
            throws IOException {
        ImageTransform resize = evalResize(d);
        int c = resize.channels();
        int side = resize.size();
        int plane = c * side * side;
        byte[] pixels = new byte[Math.multiplyExact(split.size(), plane)];
        java.util.stream.IntStream.range(0, split.size()).parallel()
                .forEach(i -> decodeOne(split, i, images, resize, pixels, i * plane));
        return new ImageDataset(name, pixels, c, side, side, split.labels(), d.classNames());
    }

    /** The spec's evaluation geometry (resize + centre crop) without normalisation: values in [0, 1]. */
    static ImageTransform evalResize(ResolvedDataset d) {
        DatasetSpec.Geometry g = d.spec().geometry();
        DatasetSpec.Geometry raw = new DatasetSpec.Geometry(g.channels(), ones(g.channels(), 0.0),
                ones(g.channels(), 1.0), g.train(), g.eval());
        return ImageTransform.eval(raw);
    }

    /**
     * Reads and decodes image {@code i} of {@code split} into {@code dst} as 8-bit values (as a PIL image stores it);
     * the one decoding both the in-memory and the lazy path use, so their bytes are the same.
     */
    static void decodeOne(LabelledImages split, int i, DataSource images, ImageTransform resize, byte[] dst,
            int offset) {
        int plane = resize.channels() * resize.size() * resize.size();
        String path = split.paths().get(i);
        byte[] bytes;
        try (java.io.InputStream in = images.open(path)) {
            bytes = in.readAllBytes();
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new DatasetSpecException(split.source() + " line " + split.lines()[i] + ": field 'path' is '"
                    + path + "', which does not exist under the images root", e);
        } catch (IOException e) {
            throw new DatasetSpecException(split.source() + " line " + split.lines()[i] + ": field 'path' is '"
                    + path + "', which cannot be read: " + e.getMessage(), e);
        }
        float[] f = new float[plane];
        try {
            resize.apply(bytes, split.where(i), null, f, 0);
        } catch (DatasetSpecException e) {
            throw new DatasetSpecException(split.source() + " line " + split.lines()[i] + ": field 'image' of '"
                    + path + "' (" + bytes.length + " bytes) is not a decodable JPEG or PNG of the spec's"
                    + " geometry: " + e.getMessage(), e);
        }
        for (int k = 0; k < plane; k++) {
            dst[offset + k] = (byte) Math.max(0, Math.min(255, Math.round(f[k] * 255f)));
        }
    }

    private static java.util.List<Double> ones(int n, double v) {
        return java.util.Collections.nCopies(n, v);
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
