package dev.vlltr.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Loads an ImageNet-LT style image list into an in-memory {@link ImageDataset}: the list and class-name files and the
 * images are opened through a {@link DataSource} (image names are the relative paths of the list), decoded with an
 * {@link ImageDecoder}. Everything is held in memory, so this suits small lists (subsets, tests, few-shot sets), not
 * the full 115k-image ImageNet-LT train list.
 */
public final class ImageListDataset {

    private ImageListDataset() {
    }

    /**
     * @param source         opener for the list, the class-name file and the images
     * @param listName       name of the list, e.g. {@code ImageNet_LT_train.txt}
     * @param classNamesName name of the class-name file
     * @param decoder        decoding geometry
     */
    public static ImageDataset load(DataSource source, String listName, String classNamesName, ImageDecoder decoder)
            throws IOException {
        List<String> classNames;
        try (InputStream in = open(source, classNamesName, classNamesName)) {
            classNames = ImageList.parseClassNames(in, classNamesName);
        }
        List<ImageListEntry> entries;
        try (InputStream in = open(source, listName, listName)) {
            entries = ImageList.parse(in, listName, classNames.size());
        }
        int size = decoder.channels() * decoder.size() * decoder.size();
        byte[] pixels = new byte[Math.multiplyExact(entries.size(), size)];
        int[] labels = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            ImageListEntry e = entries.get(i);
            String where = listName + " line " + e.line() + ": image '" + e.path() + "'";
            byte[] px;
            try (InputStream in = open(source, e.path(), where)) {
                px = decoder.decode(in, where);
            }
            System.arraycopy(px, 0, pixels, i * size, size);
            labels[i] = e.label();
        }
        return new ImageDataset(listName, pixels, decoder.channels(), decoder.size(), decoder.size(), labels,
                classNames);
    }

    static InputStream open(DataSource source, String name, String where) {
        try {
            InputStream in = source.open(name);
            if (in == null) {
                throw new IllegalArgumentException(where + ": cannot be opened (missing)");
            }
            return in;
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": cannot be opened (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ")", e);
        }
    }
}
