package dev.vlltr.core.dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ImageNet-LT style list: one {@code relative/path label} per line, the label an integer after the last
 * whitespace (so the published {@code ImageNet_LT_train.txt}, {@code Places_LT_*.txt} and
 * {@code iNaturalist18_*.txt} lines parse as they are). Blank lines are skipped. Every bad line is reported to the
 * {@link Problems} sink (label not an integer or out of range, path absolute or with {@code ..}, path listed twice);
 * bad lines are left out of the result.
 */
public final class ListFileReader {

    private ListFileReader() {
    }

    /**
     * @param in         the list (UTF-8); not closed
     * @param source     the file's name in messages
     * @param numClasses C: labels must be {@code 0..C-1}
     */
    public static LabelledImages read(InputStream in, String source, int numClasses, Problems problems)
            throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        List<String> paths = new ArrayList<>();
        IntList labels = new IntList();
        IntList lines = new IntList();
        Map<String, Integer> firstLine = new HashMap<>();
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            int cut = lastWhitespace(text);
            if (cut < 0) {
                problems.add(source, number, "label", "is missing in '" + text + "', expected 'relative/path label'");
                continue;
            }
            String path = text.substring(0, cut).strip();
            String labelText = text.substring(cut + 1);
            int label;
            try {
                label = Integer.parseInt(labelText);
            } catch (NumberFormatException e) {
                problems.add(source, number, "label", "is '" + labelText + "', expected an integer class index");
                continue;
            }
            if (label < 0 || label >= numClasses) {
                problems.add(source, number, "label", "is " + label + ", expected 0.." + (numClasses - 1)
                        + " (the class file has " + numClasses + " classes)");
                continue;
            }
            if (!isSafeRelative(path)) {
                problems.add(source, number, "path", "is '" + path
                        + "', expected a relative path without '..' or backslashes");
                continue;
            }
            Integer before = firstLine.putIfAbsent(path, number);
            if (before != null) {
                problems.add(source, number, "path", "'" + path + "' is listed twice (first on line " + before
                        + "), expected each image once");
                continue;
            }
            paths.add(path);
            labels.add(label);
            lines.add(number);
        }
        if (paths.isEmpty() && problems.isEmpty()) {
            problems.add(source, 0, "lines", "has no entries, expected lines 'relative/path label'");
        }
        return new LabelledImages(source, paths, labels.toArray(), lines.toArray(), numClasses);
    }

    static boolean isSafeRelative(String path) {
        return !path.isEmpty() && !path.startsWith("/") && !path.contains("\\")
                && !("/" + path + "/").contains("/../") && !path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    }

    private static int lastWhitespace(String text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A growable int array (the lists have up to ~440k entries; boxing them would triple the memory). */
    static final class IntList {
        private int[] a = new int[1024];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
