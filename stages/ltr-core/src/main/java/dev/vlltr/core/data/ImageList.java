package dev.vlltr.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import dev.vlltr.core.dataset.LabelledImages;
import dev.vlltr.core.dataset.ListFileReader;
import dev.vlltr.core.dataset.Problems;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parsers for ImageNet-LT style lists ({@code ImageNet_LT_train.txt}: one {@code relative/path label} per line, the
 * label an integer after the last whitespace) and class-name files (one name per line, line {@code i} naming label
 * {@code i}). Blank lines are ignored. Lists are read by the dataset layer's {@link ListFileReader}, fail-fast: errors
 * name the source, the line, the field and what was expected; a path listed twice is an error.
 */
public final class ImageList {

    private ImageList() {
    }

    /**
     * @param in         the list content (UTF-8); not closed
     * @param source     name for messages
     * @param numClasses C: labels must be {@code 0..C-1}
     */
    public static List<ImageListEntry> parse(InputStream in, String source, int numClasses) throws IOException {
        // the dataset layer's reader, fail-fast: one parser of list lines (labels, paths, duplicates) for both paths
        LabelledImages list = ListFileReader.read(in, source, numClasses, Problems.failFast());
        List<ImageListEntry> entries = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            entries.add(new ImageListEntry(list.paths().get(i), list.labels()[i], list.lines()[i]));
        }
        return entries;
    }

    /** Reads class names, one per line; blank lines are errors because they would shift every later label. */
    public static List<String> parseClassNames(InputStream in, String source) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String line;
        int number = 0;
        List<String> lines = new ArrayList<>();
        while ((line = reader.readLine()) != null) {
            lines.add(line);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        for (String raw : lines) {
            number++;
            String name = raw.strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException(source + " line " + number
                        + ": empty class name, expected one name per line (line i names label i-1)");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException(source + " line " + number + ": class name '" + name
                        + "' appears twice");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException(source + ": no class names");
        }
        return names;
    }
}
