package dev.vlltr.core.dataset;

import dev.vlltr.core.data.DataSource;
import dev.vlltr.core.data.IdxArray;
import dev.vlltr.core.data.IdxReader;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.train.LongTailData;
import java.io.IOException;
import java.io.InputStream;

/**
 * The in-memory path for small datasets: a resolved spec's splits loaded into {@link ImageDataset}s. IDX splits
 * (Fashion-MNIST) are read as they are and cut by the spec's long-tail record, giving the same {@link LongTailData} the
 * training stages built from the old benchmark enum (same images, labels and order). Image lists, folders and
 * iNaturalist JSON are decoded once at the spec's evaluation geometry (resize + centre crop, stored as 8-bit like a
 * PIL image), so training augments them with {@link SpecAugmentation}. Large lists stream ({@link StreamingLoader}).
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
        DatasetSpec.Splits s = d.spec().splits();
        boolean idx = DatasetSpec.Split.IDX.equals(s.train().format());
        LongTailSplit split = recorded != null ? recorded : d.longTailSplit();
        if (idx && (!DatasetSpec.Split.IDX.equals(s.test().format()) || split == null || s.val() != null)) {
            throw new DatasetSpecException(d.spec().name() + ": field 'splits' must be idx train and test splits with a"
                    + " longTail block drawing val, for the in-memory path");
        }
        ImageDataset train = idx ? idx(s.train(), d, images, d.spec().name() + "/train-source")
                : decode(d.sourceTrain(), d, images, d.spec().name() + "/train-source");
        if (recorded != null) {
            recorded.verifyAgainst(train.labels(), splitSource);
        }
        if (split == null) { // the spec lists train and val as they are: the whole train split, grouped by class
            split = LongTailSplit.whole(d.spec().name(), d.spec().name() + "/train", train.labels(), d.numClasses());
        }
        ImageDataset test = idx ? idx(s.test(), d, images, d.spec().name() + "/test")
                : decode(d.test(), d, images, d.spec().name() + "/test");
        ImageDataset val;
        if (s.val() != null) {
            val = decode(d.val(), d, images, d.spec().name() + "/val");
        } else if (split.valPerClass() > 0) {
            val = split.valSet(train);
        } else {
            throw new DatasetSpecException(d.spec().name() + ": field 'splits.val' is missing, expected a val split"
                    + " or a longTail block that draws one");
        }
        return new LongTailData(split.trainSet(train), val, test, split);
    }

    /**
     * Decodes every image of {@code split} at the spec's evaluation geometry ({@code channels × centerCrop²}), in
     * parallel; a missing or undecodable image fails naming its list file, line and field.
     */
    public static ImageDataset decode(LabelledImages split, ResolvedDataset d, DataSource images, String name)
            throws IOException {
        DatasetSpec.Geometry g = d.spec().geometry();
        DatasetSpec.Geometry raw = new DatasetSpec.Geometry(g.channels(), ones(g.channels(), 0.0),
                ones(g.channels(), 1.0), g.train(), g.eval());
        ImageTransform resize = ImageTransform.eval(raw);
        int c = resize.channels();
        int side = resize.size();
        int plane = c * side * side;
        byte[] pixels = new byte[Math.multiplyExact(split.size(), plane)];
        java.util.stream.IntStream.range(0, split.size()).parallel().forEach(i -> {
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
            int base = i * plane;
            for (int k = 0; k < plane; k++) {
                pixels[base + k] = (byte) Math.max(0, Math.min(255, Math.round(f[k] * 255f)));
            }
        });
        return new ImageDataset(name, pixels, c, side, side, split.labels(), d.classNames());
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
