package dev.vlltr.core.dataset;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an image-folder layout (torchvision {@code ImageFolder}): {@code <dir>/<class folder>/<any sub path>.jpg}. The
 * class folder names a class of the class file, by its name or by its label's position ({@code 0}, {@code 1}, ...);
 * ImageNet-style wnid folders ({@code n01440764}) work when the class file lists wnids. Files that are not images
 * (by extension) are skipped; files directly under {@code dir} and unknown class folders are problems.
 */
public final class ImageFolderReader {

    /** Extensions taken as images (case-insensitive), as torchvision's {@code IMG_EXTENSIONS} minus rare ones. */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

    private ImageFolderReader() {
    }

    /**
     * @param images     the images root
     * @param dir        the split's folder relative to the root
     * @param classNames names in label order
     */
    public static LabelledImages read(DatasetFiles images, String dir, List<String> classNames, Problems problems)
            throws IOException {
        String prefix = dir.isEmpty() || dir.endsWith("/") ? dir : dir + "/";
        Map<String, Integer> byName = new HashMap<>();
        for (int c = 0; c < classNames.size(); c++) {
            byName.put(classNames.get(c), c);
        }
        String source = images.describe(prefix);
        List<String> paths = new ArrayList<>();
        ListFileReader.IntList labels = new ListFileReader.IntList();
        ListFileReader.IntList lines = new ListFileReader.IntList();
        for (String file : images.list(dir)) {
            if (!file.startsWith(prefix) || !isImage(file)) {
                continue;
            }
            String rest = file.substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                problems.add(source, 0, "path", "'" + file + "' is not inside a class folder, expected "
                        + prefix + "<class>/<image>");
                continue;
            }
            String folder = rest.substring(0, slash);
            Integer label = byName.get(folder);
            if (label == null && folder.matches("\\d+") && Integer.parseInt(folder) < classNames.size()) {
                label = Integer.parseInt(folder);
            }
            if (label == null) {
                problems.add(source, 0, "class", "folder '" + folder + "' (of '" + file
                        + "') is not a class of the class file, expected a class name or a label 0.."
                        + (classNames.size() - 1));
                continue;
            }
            paths.add(file);
            labels.add(label);
            lines.add(0);
        }
        if (paths.isEmpty() && problems.isEmpty()) {
            problems.add(source, 0, "images", "has no images, expected " + prefix + "<class>/<image>.jpg");
        }
        return new LabelledImages(source, paths, labels.toArray(), lines.toArray(), classNames.size());
    }

    static boolean isImage(String path) {
        int dot = path.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXTENSIONS.contains(path.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
