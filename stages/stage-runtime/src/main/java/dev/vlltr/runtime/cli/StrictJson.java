package dev.vlltr.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Set;

/**
 * The strict opening of a small JSON description file (bundle.json, teacher.json): a JSON object, no field outside
 * the known set, and the expected {@code format} tag. Errors are {@link BadInputException}s that name the file and
 * the field, so a bad bundle ends the stage with exit 2 before anything is loaded.
 */
public final class StrictJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StrictJson() {}

    /**
     * @param in the file's bytes
     * @param where the file, as named in errors
     * @param fields every field the format knows
     * @param format the value the {@code format} field must have
     * @return the file's root object
     */
    public static JsonNode object(InputStream in, String where, Set<String> fields, String format) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new BadInputException(where + ": not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(where + ": expected a JSON object with fields " + fields);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new BadInputException(where + ": unknown field '" + f + "'; known: " + fields);
            }
        }
        JsonNode tag = root.get("format");
        if (tag == null || !format.equals(tag.asText())) {
            throw new BadInputException(where + ": field 'format': expected \"" + format + "\", got " + tag);
        }
        return root;
    }
}
