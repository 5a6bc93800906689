package dev.vlltr.core.data;

/**
 * One line of an image list: a relative image path and its label.
 *
 * @param path  relative path as written in the list (e.g. {@code train/n01440764/n01440764_10026.JPEG})
 * @param label class label, {@code 0..C-1}
 * @param line  1-based line number in the list file (for messages)
 */
public record ImageListEntry(String path, int label, int line) {
}
