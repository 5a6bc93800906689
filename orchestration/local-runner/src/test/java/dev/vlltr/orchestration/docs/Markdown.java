package dev.vlltr.orchestration.docs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Markdown pieces for the generated reference pages: tables whose cells cannot break the table. */
final class Markdown {

    private Markdown() {}

    /** A GitHub-flavoured table; {@code null} cells are empty. */
    static String table(List<String> headers, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", headers)).append(" |\n");
        sb.append("|").append("---|".repeat(headers.size())).append("\n");
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < headers.size(); i++) {
                String c = i < row.size() && row.get(i) != null ? row.get(i) : "";
                cells.add(c);
            }
            sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        return sb.toString();
    }

    /** Plain text for a cell: one line, pipes escaped, {@code <} and {@code >} as entities (not HTML tags). */
    static String text(Object value) {
        return raw(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** One line, pipes escaped: the content of a code span. */
    static String raw(Object value) {
        if (value == null) {
            return "";
        }
        String s;
        if (value instanceof Enum<?> e) {
            s = e.name().toLowerCase(Locale.ROOT);
        } else if (value instanceof Collection<?> c) {
            s = c.stream().map(Markdown::raw).collect(Collectors.joining(", "));
        } else if (value instanceof Map<?, ?> m) {
            s = m.entrySet().stream().map(e -> raw(e.getKey()) + "=" + raw(e.getValue()))
                    .collect(Collectors.joining(", "));
        } else {
            s = String.valueOf(value);
        }
        return s.replace("\r", "").replace("\n", " ").replace("|", "\\|").strip();
    }

    /** A code span for a cell ({@code ""} for the empty string), or an empty cell for null. */
    static String code(Object value) {
        if (value == null) {
            return "";
        }
        String s = raw(value);
        if (s.isEmpty()) {
            return "`\"\"`";
        }
        return s.contains("`") ? "``" + s + "``" : "`" + s + "`";
    }

    /** {@code defaultValue} → {@code default value}: a record component or JSON key as a column heading. */
    static String heading(String identifier) {
        String spaced = identifier.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').replace('-', ' ');
        return spaced.toLowerCase(Locale.ROOT);
    }
}
