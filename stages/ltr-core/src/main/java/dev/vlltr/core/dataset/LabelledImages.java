package dev.vlltr.core.dataset;

import java.util.Arrays;
import java.util.List;

/**
 * The images of one split as paths (relative to the images root) with labels and where each came from, in file
 * order. Holds no pixels: ImageNet-LT's 115,846 train entries are a few MB.
 *
 * @param source     the list/JSON file or folder it was read from (for messages)
 * @param paths      relative image paths
 * @param labels     label of each image, {@code 0..C-1}
 * @param lines      1-based line (list), entry index (JSON) or 0 (folder) of each image, for messages
 * @param numClasses C
 */
public record LabelledImages(String source, List<String> paths, int[] labels, int[] lines, int numClasses) {

    public LabelledImages {
        paths = List.copyOf(paths);
        if (labels.length != paths.size() || lines.length != paths.size()) {
            throw new IllegalArgumentException(source + ": " + paths.size() + " paths, " + labels.length
                    + " labels and " + lines.length + " line numbers; they must match");
        }
    }

    public int size() {
        return paths.size();
    }

    /** @return images per class, indexed by label */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /** @return where image {@code i} is declared: {@code ImageNet_LT_train.txt line 12: image 'train/x.JPEG'} */
    public String where(int i) {
        return source + (lines[i] > 0 ? " line " + lines[i] : "") + ": image '" + paths.get(i) + "'";
    }

    /** @return the images at {@code indices}, in that order (a long-tailed subset or a val split) */
    public LabelledImages subset(int[] indices, String subsetSource) {
        String[] p = new String[indices.length];
        int[] lb = new int[indices.length];
        int[] ln = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            p[k] = paths.get(indices[k]);
            lb[k] = labels[indices[k]];
            ln[k] = lines[indices[k]];
        }
        return new LabelledImages(subsetSource, Arrays.asList(p), lb, ln, numClasses);
    }
}
