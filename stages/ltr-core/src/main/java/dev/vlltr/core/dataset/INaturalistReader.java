package dev.vlltr.core.dataset;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads iNaturalist 2018's COCO-style JSON ({@code train2018.json}, {@code val2018.json}): {@code images[]} with
 * {@code id} and {@code file_name}, {@code annotations[]} with {@code image_id} and {@code category_id} (the label,
 * dense {@code 0..C-1} in iNat 2018), {@code categories[]} with {@code id} and {@code name}. Streamed object by object,
 * so the 437,513-entry train file does not need a tree in memory. Images come out in {@code images[]} order; an
 * image's "line" in messages is its index in {@code images[]}.
 */
public final class INaturalistReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private INaturalistReader() {
    }

    /**
     * @param in         the JSON; not closed
     * @param source     the file's name in messages
     * @param classNames names in label order (from the class file); a category whose name differs is a problem
     */
    public static LabelledImages read(InputStream in, String source, List<String> classNames, Problems problems)
            throws IOException {
        List<Long> imageIds = new ArrayList<>();
        List<String> fileNames = new ArrayList<>();
        Map<Long, Integer> labelByImage = new HashMap<>();
        try (JsonParser p = new JsonFactory(JSON).createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                problems.add(source, 0, "$", "is not a JSON object, expected {images, annotations, categories}");
                return empty(source, classNames.size());
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (t != JsonToken.START_ARRAY || !List.of("images", "annotations", "categories").contains(field)) {
                    p.skipChildren();
                    continue;
                }
                int index = 0;
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode node = p.readValueAsTree();
                    String at = field + "[" + index + "]";
                    switch (field) {
                        case "images" -> {
                            JsonNode id = node.get("id");
                            JsonNode name = node.get("file_name");
                            if (id == null || !id.canConvertToLong() || name == null || !name.isTextual()) {
                                problems.add(source, 0, at, "lacks an integer 'id' or a string 'file_name'");
                            } else if (!ListFileReader.isSafeRelative(name.asText())) {
                                problems.add(source, 0, at + ".file_name", "is '" + name.asText()
                                        + "', expected a relative path without '..'");
                            } else {
                                imageIds.add(id.asLong());
                                fileNames.add(name.asText());
                            }
                        }
                        case "annotations" -> {
                            JsonNode image = node.get("image_id");
                            JsonNode cat = node.get("category_id");
                            if (image == null || !image.canConvertToLong() || cat == null || !cat.isInt()) {
                                problems.add(source, 0, at, "lacks an integer 'image_id' or 'category_id'");
                            } else if (cat.asInt() < 0 || cat.asInt() >= classNames.size()) {
                                problems.add(source, 0, at + ".category_id", "is " + cat.asInt() + ", expected 0.."
                                        + (classNames.size() - 1) + " (the class file has " + classNames.size()
                                        + " classes)");
                            } else if (labelByImage.put(image.asLong(), cat.asInt()) != null) {
                                problems.add(source, 0, at + ".image_id", "is " + image.asLong()
                                        + ", which already has an annotation, expected one per image");
                            }
                        }
                        default -> {
                            JsonNode id = node.get("id");
                            JsonNode name = node.get("name");
                            if (id != null && id.isInt() && id.asInt() >= 0 && id.asInt() < classNames.size()
                                    && name != null && !classNames.get(id.asInt()).equals(name.asText())) {
                                problems.add(source, 0, at + ".name", "is '" + name.asText() + "' but the class file"
                                        + " names class " + id.asInt() + " '" + classNames.get(id.asInt())
                                        + "'; they must agree");
                            }
                        }
                    }
                    index++;
                }
            }
        } catch (JsonProcessingException e) {
            problems.add(source, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "$",
                    "is not valid JSON: " + e.getOriginalMessage());
            return empty(source, classNames.size());
        }
        List<String> paths = new ArrayList<>();
        ListFileReader.IntList labels = new ListFileReader.IntList();
        ListFileReader.IntList lines = new ListFileReader.IntList();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < imageIds.size(); i++) {
            Integer label = labelByImage.get(imageIds.get(i));
            if (label == null) {
                problems.add(source, 0, "images[" + i + "]", "(id " + imageIds.get(i)
                        + ") has no annotation, expected one with its category_id");
                continue;
            }
            if (!seen.add(fileNames.get(i))) {
                problems.add(source, 0, "images[" + i + "].file_name", "'" + fileNames.get(i)
                        + "' is listed twice, expected each image once");
                continue;
            }
            paths.add(fileNames.get(i));
            labels.add(label);
            lines.add(i + 1);
        }
        if (paths.isEmpty() && problems.isEmpty()) {
            problems.add(source, 0, "images", "is empty, expected at least one annotated image");
        }
        return new LabelledImages(source, paths, labels.toArray(), lines.toArray(), classNames.size());
    }

    /**
     * Reads class names from iNaturalist categories: a JSON array of {@code {id, name}} (the released
     * {@code categories.json}) or an object with a {@code categories} array (any of the split files). Ids must be
     * exactly {@code 0..C-1}.
     */
    public static List<String> readCategories(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new DatasetSpecException(source + ": field '$' is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode cats = root != null && root.isObject() ? root.get("categories") : root;
        if (cats == null || !cats.isArray() || cats.isEmpty()) {
            throw new DatasetSpecException(source + ": field 'categories' is missing or empty, expected an array of"
                    + " {id, name}");
        }
        String[] names = new String[cats.size()];
        for (int i = 0; i < cats.size(); i++) {
            JsonNode c = cats.get(i);
            JsonNode id = c.get("id");
            JsonNode name = c.get("name");
            if (id == null || !id.isInt() || id.asInt() < 0 || id.asInt() >= names.length || name == null
                    || !name.isTextual()) {
                throw new DatasetSpecException(source + ": field 'categories[" + i + "]' is " + c
                        + ", expected {id: 0.." + (names.length - 1) + ", name: text}");
            }
            if (names[id.asInt()] != null) {
                throw new DatasetSpecException(source + ": field 'categories[" + i + "].id' is " + id.asInt()
                        + ", which appears twice, expected ids 0.." + (names.length - 1) + " once each");
            }
            names[id.asInt()] = name.asText();
        }
        return List.of(names);
    }

    private static LabelledImages empty(String source, int numClasses) {
        return new LabelledImages(source, List.of(), new int[0], new int[0], numClasses);
    }
}
