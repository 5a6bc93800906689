package dev.vlltr.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * An ImageNet-LT style image list whose images are decoded only when read ({@link #imageAsFloats}), so lists far
 * larger than memory work: the {@link BatchLoader} then decodes and augments on its producer threads. The list and
 * class names are read eagerly; the {@link DataSource} must allow concurrent {@code open} calls.
 */
public final class LazyImageList implements ImageSet {

    private final String name;
    private final DataSource source;
    private final ImageDecoder decoder;
    private final List<ImageListEntry> entries;
    private final List<String> classNames;
    private final int[] labels;

    private LazyImageList(String name, DataSource source, ImageDecoder decoder, List<ImageListEntry> entries,
            List<String> classNames) {
        this.name = name;
        this.source = source;
        this.decoder = decoder;
        this.entries = List.copyOf(entries);
        this.classNames = List.copyOf(classNames);
        this.labels = entries.stream().mapToInt(ImageListEntry::label).toArray();
    }

    /**
     * @param source         opener for the list, the class-name file and the images
     * @param listName       e.g. {@code ImageNet_LT_train.txt}
     * @param classNamesName the class-name file
     * @param decoder        decoding geometry
     */
    public static LazyImageList open(DataSource source, String listName, String classNamesName,
            ImageDecoder decoder) throws IOException {
        List<String> classNames;
        try (InputStream in = ImageListDataset.open(source, classNamesName, classNamesName)) {
            classNames = ImageList.parseClassNames(in, classNamesName);
        }
        List<ImageListEntry> entries;
        try (InputStream in = ImageListDataset.open(source, listName, listName)) {
            entries = ImageList.parse(in, listName, classNames.size());
        }
        return new LazyImageList(listName, source, decoder, entries, classNames);
    }

    public List<ImageListEntry> entries() {
        return entries;
    }

    /** @return the decoded bytes ({@code C × H × W}) of image {@code i} */
    @Override
    public byte[] imageBytes(int i) {
        ImageListEntry e = entries.get(i);
        String where = name + " line " + e.line() + ": image '" + e.path() + "'";
        try (InputStream in = ImageListDataset.open(source, e.path(), where)) {
            return decoder.decode(in, where);
        } catch (IOException ex) {
            throw new UncheckedIOException(where + ": read failed", ex);
        }
    }

    @Override
    public void imageAsFloats(int i, float[] dst, int dstOffset) {
        byte[] px = imageBytes(i);
        for (int k = 0; k < px.length; k++) {
            dst[dstOffset + k] = (px[k] & 0xff) / 255f;
        }
    }

    @Override
    public LazyImageList subset(int[] indices, String subsetName) {
        List<ImageListEntry> kept = new java.util.ArrayList<>(indices.length);
        for (int i : indices) {
            kept.add(entries.get(i));
        }
        return new LazyImageList(subsetName, source, decoder, kept, classNames);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public int channels() {
        return decoder.channels();
    }

    @Override
    public int height() {
        return decoder.size();
    }

    @Override
    public int width() {
        return decoder.size();
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
}
