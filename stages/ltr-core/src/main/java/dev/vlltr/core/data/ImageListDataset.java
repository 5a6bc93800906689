package dev.vlltr.core.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An image-list dataset in the ImageNet-LT / Places-LT format: a list file with one {@code relative/path label} line
 * per image and a class-names file with one name per line (line {@code i} names label {@code i}). Labels are class
 * indices, or class names from the class-names file. The path is everything before the last run of whitespace, so
 * paths may contain spaces; it is always relative to the image root (leading {@code /}, as in Places-LT lists, is
 * dropped). Blank lines are skipped.
 *
 * <p>Images (JPEG, PNG, anything {@link ImageIO} reads) are decoded lazily, on each {@link #pixels(int, Random)} call:
 * the shorter side is resized (bilinear) to {@code resizeShorterSide} (default: the crop size), then a
 * {@code size × size} crop is cut: centred, or at a random position when the crop mode is {@link CropMode#RANDOM} and
 * a {@link Random} is passed. Grayscale conversion uses the ITU-R 601 luma weights (as PIL's {@code convert("L")}).
 */
public final class ImageListDataset implements ImageDataset {

    /** Where the crop is cut after resizing. */
    public enum CropMode {
        /** Always the centre (evaluation). */
        CENTER,
        /** A uniformly random position when a {@link Random} is given, the centre otherwise (training). */
        RANDOM
    }

    /** Output colour. */
    public enum ColorMode {
        /** One channel. */
        GRAYSCALE(1),
        /** Three channels, R, G, B. */
        RGB(3);

        private final int channels;

        ColorMode(int channels) {
            this.channels = channels;
        }

        /** @return channels per image */
        public int channels() {
            return channels;
        }
    }

    private final DataSource source;
    private final String listName;
    private final String imageRoot;
    private final List<String> paths;
    private final int[] lineNumbers;
    private final int[] labels;
    private final List<String> classNames;
    private final int size;
    private final int resizeShorterSide;
    private final CropMode cropMode;
    private final ColorMode colorMode;

    private ImageListDataset(Builder b, List<String> paths, int[] lineNumbers, int[] labels, List<String> classNames) {
        this.source = b.source;
        this.listName = b.listName;
        this.imageRoot = b.imageRoot;
        this.paths = paths;
        this.lineNumbers = lineNumbers;
        this.labels = labels;
        this.classNames = classNames;
        this.size = b.size;
        this.resizeShorterSide = b.resizeShorterSide > 0 ? b.resizeShorterSide : b.size;
        this.cropMode = b.cropMode;
        this.colorMode = b.colorMode;
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
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

    /**
     * @param index image index
     * @return the image's path relative to the image root, as written in the list
     */
    public String path(int index) {
        return paths.get(index);
    }

    @Override
    public int channels() {
        return colorMode.channels();
    }

    @Override
    public int height() {
        return size;
    }

    @Override
    public int width() {
        return size;
    }

    @Override
    public byte[] pixels(int index, Random random) {
        String name = imageRoot + stripLeadingSlashes(paths.get(index));
        String where = "image '" + name + "' (" + listName + " line " + lineNumbers[index] + ")";
        BufferedImage image;
        try (InputStream in = source.open(name)) {
            // an explicit memory cache (ImageIO.read(InputStream) may spill to temp files); read() closes it
            image = ImageIO.read(new MemoryCacheImageInputStream(in));
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " could not be read: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException(where + " is not a decodable image (expected JPEG or PNG)");
        }
        BufferedImage resized = resizeShorterSide(image, resizeShorterSide);
        int x0 = (resized.getWidth() - size) / 2;
        int y0 = (resized.getHeight() - size) / 2;
        if (cropMode == CropMode.RANDOM && random != null) {
            x0 = random.nextInt(resized.getWidth() - size + 1);
            y0 = random.nextInt(resized.getHeight() - size + 1);
        }
        return toChw(resized, x0, y0, size, colorMode);
    }

    /** Places-LT lists write {@code /data_large/...}: listed paths are always relative to the image root. */
    private static String stripLeadingSlashes(String path) {
        int i = 0;
        while (i < path.length() && path.charAt(i) == '/') {
            i++;
        }
        return path.substring(i);
    }

    /** Resizes so that the shorter side is {@code target} (aspect ratio kept, longer side rounded), bilinear. */
    static BufferedImage resizeShorterSide(BufferedImage image, int target) {
        int w = image.getWidth();
        int h = image.getHeight();
        int newW;
        int newH;
        if (w <= h) {
            newW = target;
            newH = Math.max(target, (int) Math.round((double) h * target / w));
        } else {
            newH = target;
            newW = Math.max(target, (int) Math.round((double) w * target / h));
        }
        BufferedImage out = new BufferedImage(newW, newH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, newW, newH, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Cuts a square crop and lays it out CHW as unsigned bytes. */
    static byte[] toChw(BufferedImage image, int x0, int y0, int size, ColorMode colorMode) {
        int plane = size * size;
        byte[] out = new byte[plane * colorMode.channels()];
        int[] row = new int[size];
        for (int y = 0; y < size; y++) {
            image.getRGB(x0, y0 + y, size, 1, row, 0, size);
            for (int x = 0; x < size; x++) {
                int rgb = row[x];
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                int p = y * size + x;
                if (colorMode == ColorMode.GRAYSCALE) {
                    // PIL's ITU-R 601-2 luma transform, same integer rounding.
                    out[p] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
                } else {
                    out[p] = (byte) r;
                    out[plane + p] = (byte) g;
                    out[2 * plane + p] = (byte) b;
                }
            }
        }
        return out;
    }

    /** Builder: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private DataSource source;
        private String listName;
        private String classNamesName;
        private List<String> classNames;
        private String imageRoot = "";
        private int size;
        private int resizeShorterSide;
        private CropMode cropMode = CropMode.CENTER;
        private ColorMode colorMode = ColorMode.RGB;

        private Builder() {}

        /** Where the list, the class-names file and the images are opened. */
        public Builder setDataSource(DataSource source) {
            this.source = source;
            return this;
        }

        /** The list file: {@code relative/path label} per line. */
        public Builder setListFile(String listName) {
            this.listName = listName;
            return this;
        }

        /** The class-names file: one name per line (either this or {@link #setClassNames(List)}). */
        public Builder setClassNamesFile(String classNamesName) {
            this.classNamesName = classNamesName;
            return this;
        }

        /** The class names, index = label (either this or {@link #setClassNamesFile(String)}). */
        public Builder setClassNames(List<String> classNames) {
            this.classNames = List.copyOf(classNames);
            return this;
        }

        /** Output side in pixels (square crops). */
        public Builder setImageSize(int size) {
            this.size = size;
            return this;
        }

        /** Prefix joined to every listed path when opening images (default empty). */
        public Builder optImageRoot(String imageRoot) {
            this.imageRoot = imageRoot.isEmpty() || imageRoot.endsWith("/") ? imageRoot : imageRoot + "/";
            return this;
        }

        /** Shorter side after resizing, before cropping (default: the image size; ImageNet evaluation uses 256 for 224). */
        public Builder optResizeShorterSide(int resizeShorterSide) {
            this.resizeShorterSide = resizeShorterSide;
            return this;
        }

        /** Crop position (default {@link CropMode#CENTER}). */
        public Builder optCropMode(CropMode cropMode) {
            this.cropMode = Objects.requireNonNull(cropMode);
            return this;
        }

        /** Output colour (default {@link ColorMode#RGB}). */
        public Builder optColorMode(ColorMode colorMode) {
            this.colorMode = Objects.requireNonNull(colorMode);
            return this;
        }

        /**
         * Reads and checks the list and the class names (images are decoded later, lazily).
         *
         * @return the dataset
         * @throws IOException if the list or class-names file cannot be read
         * @throws IllegalArgumentException on a malformed line or an unknown label
         */
        public ImageListDataset build() throws IOException {
            if (source == null || listName == null) {
                throw new IllegalArgumentException("ImageListDataset: setDataSource and setListFile are required");
            }
            if (size < 1) {
                throw new IllegalArgumentException("ImageListDataset: setImageSize must be positive, got " + size);
            }
            if (resizeShorterSide != 0 && resizeShorterSide < size) {
                throw new IllegalArgumentException("ImageListDataset: resizeShorterSide (" + resizeShorterSide
                        + ") must be at least the image size (" + size + ")");
            }
            List<String> names = classNames != null ? classNames : readClassNames();
            Map<String, Integer> byName = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                byName.putIfAbsent(names.get(i), i);
            }
            List<String> paths = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            List<Integer> labelList = new ArrayList<>();
            try (BufferedReader reader = reader(listName)) {
                String line;
                int lineNumber = 0;
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    String trimmed = line.strip();
                    if (trimmed.isEmpty()) {
                        continue;
                    }
                    int split = lastWhitespace(trimmed);
                    if (split < 0) {
                        throw new IllegalArgumentException(listName + " line " + lineNumber
                                + ": malformed, expected 'relative/path label', got '" + trimmed + "'");
                    }
                    String path = trimmed.substring(0, split).strip();
                    String labelText = trimmed.substring(split + 1);
                    paths.add(path);
                    lines.add(lineNumber);
                    labelList.add(parseLabel(labelText, names, byName, lineNumber));
                }
            }
            if (paths.isEmpty()) {
                throw new IllegalArgumentException(listName + ": no images listed (expected 'relative/path label' lines)");
            }
            return new ImageListDataset(this, List.copyOf(paths), lines.stream().mapToInt(Integer::intValue).toArray(),
                    labelList.stream().mapToInt(Integer::intValue).toArray(), names);
        }

        private int parseLabel(String text, List<String> names, Map<String, Integer> byName, int lineNumber) {
            Integer byClassName = byName.get(text);
            int label;
            try {
                label = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                if (byClassName != null) {
                    return byClassName;
                }
                throw new IllegalArgumentException(listName + " line " + lineNumber + ": unknown label '" + text
                        + "' (field 'label'): expected a class index 0.." + (names.size() - 1)
                        + " or a name from the class-names file");
            }
            if (label < 0 || label >= names.size()) {
                throw new IllegalArgumentException(listName + " line " + lineNumber + ": unknown label " + label
                        + " (field 'label'): expected 0.." + (names.size() - 1) + " (" + names.size() + " class names)");
            }
            return label;
        }

        private List<String> readClassNames() throws IOException {
            if (classNamesName == null) {
                throw new IllegalArgumentException("ImageListDataset: setClassNamesFile or setClassNames is required");
            }
            List<String> names = new ArrayList<>();
            try (BufferedReader reader = reader(classNamesName)) {
                String line;
                int lineNumber = 0;
                List<Integer> blankLines = new ArrayList<>();
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    String name = line.strip();
                    if (name.isEmpty()) {
                        blankLines.add(lineNumber);
                        continue;
                    }
                    if (!blankLines.isEmpty()) {
                        throw new IllegalArgumentException(classNamesName + " line " + blankLines.get(0)
                                + ": blank class name (one name per line, line i = label i-1)");
                    }
                    names.add(name);
                }
            }
            if (names.isEmpty()) {
                throw new IllegalArgumentException(classNamesName + ": no class names (expected one name per line)");
            }
            return List.copyOf(names);
        }

        private BufferedReader reader(String name) throws IOException {
            return new BufferedReader(new InputStreamReader(source.open(name), StandardCharsets.UTF_8));
        }

        private static int lastWhitespace(String s) {
            for (int i = s.length() - 1; i >= 0; i--) {
                if (Character.isWhitespace(s.charAt(i))) {
                    return i;
                }
            }
            return -1;
        }
    }
}
