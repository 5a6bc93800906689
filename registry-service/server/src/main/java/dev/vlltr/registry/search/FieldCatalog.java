package dev.vlltr.registry.search;

import java.util.List;

/**
 * Which fields a filter may name for one entity, and the SQL each one becomes. The SQL text comes only from
 * here (never from the filter); values from the filter are always bound as parameters.
 */
public interface FieldCatalog {
    /** Kind of value a field compares with. */
    enum Kind { TEXT, NUMBER, TIMESTAMP }

    /** A resolved field: its kind and a template where {@code %s} is replaced by the SQL operator. */
    record Field(Kind kind, String template, List<Object> keyParams) {}

    /**
     * Resolves {@code name} (e.g. {@code name}, {@code tags.team}, {@code metrics.few_acc});
     * returns null when unknown.
     */
    Field resolve(String name);

    /** The field names to list in an error message. */
    String describe();
}
