package dev.vlltr.registry.store;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the JSON that PostgreSQL aggregates in a single query ({@code json_object_agg}, {@code json_agg}): the
 * child rows of a model or version come back as one column each, so a read is one query and one snapshot.
 */
@ApplicationScoped
public class JsonColumns {
    @Inject
    ObjectMapper json;

    /** A JSON object column as a map sorted by key; empty when SQL NULL (no child rows). */
    public <V> Map<String, V> sortedMap(String text, Class<V> valueType) {
        if (text == null) {
            return Map.of();
        }
        JavaType type = json.getTypeFactory().constructMapType(TreeMap.class, String.class, valueType);
        return read(text, type);
    }

    /** A JSON array column as a list; empty when SQL NULL. */
    public <E> List<E> list(String text, Class<E> elementType) {
        if (text == null) {
            return List.of();
        }
        return read(text, json.getTypeFactory().constructCollectionType(List.class, elementType));
    }

    private <T> T read(String text, JavaType type) {
        try {
            return json.readValue(text, type);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable aggregate from the database", e);
        }
    }
}
