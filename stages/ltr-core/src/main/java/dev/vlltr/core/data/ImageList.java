package dev.vlltr.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parsers for ImageNet-LT style lists ({@code ImageNet_LT_train.txt}: one {@code relative/path label} per line, the
 * label an integer after the last whitespace) and class-name files (one name per line, line {@code i} naming label
 * {@code i}). Blank lines are ignored. Errors name the source, the line and what was expected.
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
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<ImageListEntry> entries = new ArrayList<>();
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
                throw new IllegalArgumentException(source + " line " + number + ": '" + text
                        + "' has no label, expected 'relative/path label'");
            }
            String path = text.substring(0, cut).strip();
            String labelText = text.substring(cut + 1);
            int label;
            try {
                label = Integer.parseInt(labelText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + " line " + number + ": field 'label' is '" + labelText
                        + "', expected an integer class index", e);
            }
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException(source + " line " + number + ": field 'label' is " + label
                        + ", an unknown class (expected 0.." + (numClasses - 1) + ")");
            }
            if (path.startsWith("/") || path.contains("\\") || ("/" + path + "/").contains("/../")) {
                throw new IllegalArgumentException(source + " line " + number + ": field 'path' is '" + path
                        + "', expected a relative path without '..' or backslashes");
            }
            entries.add(new ImageListEntry(path, label, number));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(source + ": no entries, expected lines 'relative/path label'");
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

    private static int lastWhitespace(String text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
