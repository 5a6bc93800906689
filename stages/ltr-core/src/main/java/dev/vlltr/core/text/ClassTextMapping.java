package dev.vlltr.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the text of one class comes from: the class name (used in templates and sentences), the Wikipedia article
 * title, the hand-chosen WordNet noun synsets and the GCIDE selections.
 *
 * @param classId class index
 * @param name class name
 * @param wikiTitle Wikipedia article title ({@code name} when not given)
 * @param wordnetSynsets WordNet 3.0 {@code data.noun} offsets
 * @param gcide GCIDE selections
 */
public record ClassTextMapping(int classId, String name, String wikiTitle, List<Long> wordnetSynsets,
        List<GcideSelection> gcide) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ClassTextMapping {
        if (classId < 0) {
            throw new IllegalArgumentException("classId must be >= 0, got " + classId);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("class " + classId + ": name must not be blank");
        }
        wikiTitle = wikiTitle == null || wikiTitle.isBlank() ? name : wikiTitle;
        wordnetSynsets = List.copyOf(wordnetSynsets);
        gcide = List.copyOf(gcide);
    }

    /**
     * A class with only a name (templates and Wikipedia by name; no dictionary senses).
     *
     * @param classId class index
     * @param name class name
     * @return the mapping
     */
    public static ClassTextMapping nameOnly(int classId, String name) {
        return new ClassTextMapping(classId, name, name, List.of(), List.of());
    }

    /**
     * Reads a mapping file: a JSON array of
     * {@code {"classId":0,"name":"T-shirt/top","wikiTitle":"T-shirt","wordnet":["03595614"],"gcide":["jersey:n/2"]}}
     * ({@code wikiTitle}, {@code wordnet}, {@code gcide} optional).
     *
     * @param in the JSON stream (not closed)
     * @param sourceName name for error messages
     * @return the mappings in file order
     * @throws IllegalArgumentException naming the element and field when the file is invalid
     * @throws IOException on read errors
     */
    public static List<ClassTextMapping> readJson(InputStream in, String sourceName) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(sourceName + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(sourceName + ": expected a JSON array of class mappings");
        }
        List<ClassTextMapping> out = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        int i = 0;
        for (JsonNode n : root) {
            String where = sourceName + "[" + i++ + "]";
            JsonNode id = n.get("classId");
            if (id == null || !id.isIntegralNumber() || id.intValue() < 0) {
                throw new IllegalArgumentException(where + ": field 'classId' must be an integer >= 0, got " + id);
            }
            JsonNode name = n.get("name");
            if (name == null || !name.isTextual() || name.textValue().isBlank()) {
                throw new IllegalArgumentException(where + ": field 'name' must be a non-blank string, got " + name);
            }
            if (!ids.add(id.intValue())) {
                throw new IllegalArgumentException(where + ": classId " + id.intValue() + " appears more than once");
            }
            JsonNode title = n.get("wikiTitle");
            List<Long> synsets = new ArrayList<>();
            for (JsonNode s : array(n, "wordnet", where)) {
                String v = s.asText();
                if (!v.matches("\\d{1,8}")) {
                    throw new IllegalArgumentException(where + ": 'wordnet' entries must be synset offsets (digits), got " + s);
                }
                synsets.add(Long.parseLong(v));
            }
            List<GcideSelection> gcide = new ArrayList<>();
            for (JsonNode s : array(n, "gcide", where)) {
                try {
                    gcide.add(GcideSelection.parse(s.asText()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
                }
            }
            out.add(new ClassTextMapping(id.intValue(), name.textValue(),
                    title == null || title.isNull() ? null : title.asText(), synsets, gcide));
        }
        return out;
    }

    private static Iterable<JsonNode> array(JsonNode n, String field, String where) {
        JsonNode a = n.get(field);
        if (a == null || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw new IllegalArgumentException(where + ": field '" + field + "' must be an array");
        }
        return a;
    }
}
