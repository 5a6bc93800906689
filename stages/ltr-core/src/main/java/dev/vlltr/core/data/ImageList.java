package dev.vlltr.core.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import dev.vlltr.core.dataset.ListFileReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parser of class-name files (one name per line, line {@code i} naming label {@code i}) that go with ImageNet-LT
 * style lists; the lists themselves are read by the dataset layer's {@link ListFileReader}.
 */
public final class ImageList {

    private ImageList() {
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
