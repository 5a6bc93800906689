package dev.vlltr.registry.search;

import java.util.List;
import java.util.Locale;

/**
 * A sort order for keyset pagination: an SQL expression (from a fixed list, never from input), its bound
 * parameters, and the direction. Ties are broken by the row id, so the order is total and pages are stable.
 */
public record SortSpec(String label, String expr, List<Object> exprParams, FieldCatalog.Kind kind, boolean desc) {

    /** {@code name | created_at | updated_at} + optional {@code ASC|DESC}; default {@code name ASC}. */
    public static SortSpec forModels(String orderBy) {
        String[] p = split(orderBy, "name");
        boolean desc = direction(p);
        return switch (p[0]) {
            case "name" -> new SortSpec("name", "m.name", List.of(), FieldCatalog.Kind.TEXT, desc);
            case "created_at" -> new SortSpec("created_at", "m.created_at", List.of(), FieldCatalog.Kind.TIMESTAMP, desc);
            case "updated_at" -> new SortSpec("updated_at", "m.updated_at", List.of(), FieldCatalog.Kind.TIMESTAMP, desc);
            default -> throw new FilterException("orderBy: unknown field '" + p[0]
                    + "'; expected name, created_at or updated_at, then optionally ASC or DESC");
        };
    }

    /**
     * {@code created_at | version | metrics.<key>} + optional {@code ASC|DESC}; default {@code created_at DESC}.
     * Versions without the metric sort as if it were minus infinity.
     */
    public static SortSpec forVersions(String orderBy) {
        String[] p = split(orderBy, "created_at DESC");
        boolean desc = direction(p);
        if (p[0].startsWith("metrics.") && Catalogs.isMetric(p[0].substring(8))) {
            return new SortSpec(p[0], "coalesce((select x.value from version_metrics x where x.version_id = v.id"
                    + " and x.key = ?), '-Infinity'::float8)", List.of(p[0].substring(8)), FieldCatalog.Kind.NUMBER, desc);
        }
        return switch (p[0]) {
            case "created_at" -> new SortSpec("created_at", "v.created_at", List.of(), FieldCatalog.Kind.TIMESTAMP, desc);
            case "version" -> new SortSpec("version", "v.version::float8", List.of(), FieldCatalog.Kind.NUMBER, desc);
            default -> throw new FilterException("orderBy: unknown field '" + p[0]
                    + "'; expected created_at, version or metrics.<key>, then optionally ASC or DESC");
        };
    }

    private static String[] split(String orderBy, String dflt) {
        String s = orderBy == null || orderBy.isBlank() ? dflt : orderBy.trim();
        if (s.length() > 200) {
            throw new FilterException("orderBy is longer than 200 characters");
        }
        String[] p = s.split("\\s+");
        if (p.length > 2) {
            throw new FilterException("orderBy: expected '<field> [ASC|DESC]', got '" + s + "'");
        }
        return p;
    }

    private static boolean direction(String[] p) {
        if (p.length == 1) {
            return false;
        }
        return switch (p[1].toUpperCase(Locale.ROOT)) {
            case "ASC" -> false;
            case "DESC" -> true;
            default -> throw new FilterException("orderBy: direction must be ASC or DESC, got '" + p[1] + "'");
        };
    }
}
