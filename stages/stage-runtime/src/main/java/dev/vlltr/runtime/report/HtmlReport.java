package dev.vlltr.runtime.report;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A self-contained HTML report (no external files or scripts: plots are embedded as data URIs) built section by
 * section. All text is escaped.
 */
public final class HtmlReport {

    private final StringBuilder body = new StringBuilder();
    private final String title;
    private int tables;

    public HtmlReport(String title) {
        this.title = title;
    }

    public HtmlReport heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A table; the first row is the header. Cells that parse as numbers are right-aligned. */
    public HtmlReport table(List<List<String>> rows) {
        return table(rows, -1, Set.of());
    }

    /**
     * A table whose row {@code highlighted} (0 = the first row after the header; -1 for none) is marked, and whose
     * {@code secondary} columns are hidden until the reader ticks "all columns": the main comparison then fits a
     * 1,280 px screen. The toggle is a checkbox styled by CSS, so the report stays free of scripts.
     */
    public HtmlReport table(List<List<String>> rows, int highlighted, Set<Integer> secondary) {
        if (rows.isEmpty()) {
            return this;
        }
        String id = "t" + (++tables);
        if (!secondary.isEmpty()) {
            body.append("<div class=\"cols\"><input type=\"checkbox\" id=\"").append(id).append("-all\">")
                    .append("<label for=\"").append(id).append("-all\">show all ")
                    .append(rows.get(0).size()).append(" columns (").append(secondary.size())
                    .append(" secondary hidden)</label>\n");
        }
        body.append("<table id=\"").append(id).append("\">\n<thead><tr>");
        List<String> header = rows.get(0);
        for (int c = 0; c < header.size(); c++) {
            body.append(secondary.contains(c) ? "<th class=\"secondary\">" : "<th>").append(escape(header.get(c)))
                    .append("</th>");
        }
        body.append("</tr></thead>\n<tbody>\n");
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            body.append(r - 1 == highlighted ? "<tr class=\"selected\" title=\"selected\">" : "<tr>");
            for (int c = 0; c < row.size(); c++) {
                String cell = row.get(c);
                String cls = (isNumber(cell) ? "num" : "") + (secondary.contains(c) ? " secondary" : "");
                body.append(cls.isBlank() ? "<td>" : "<td class=\"" + cls.strip() + "\">");
                if (c == 0 && r - 1 == highlighted) {
                    body.append("<span class=\"mark\">&#9733;</span> ");
                }
                body.append(escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody></table>\n");
        if (!secondary.isEmpty()) {
            body.append("</div>\n");
        }
        return this;
    }

    /** An embedded PNG with a caption. */
    public HtmlReport image(String caption, byte[] png) {
        body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n"
                + "body{font-family:system-ui,sans-serif;max-width:1240px;margin:1.5em auto;padding:0 1em;"
                + "color:#222}\n"
                + "table{border-collapse:collapse;margin:.5em 0 1em;font-size:13px}"
                + "th,td{border:1px solid #ccc;padding:3px 7px}\n"
                + "th{background:#f0f4f8;vertical-align:bottom}td.num{text-align:right;"
                + "font-variant-numeric:tabular-nums;white-space:nowrap}\n"
                // the selected row: tinted, bold, and a star (visible in print and to colour-blind readers too)
                + "tr.selected td{background:#fff3c4;font-weight:600}tr.selected td:first-child{"
                + "box-shadow:inset 4px 0 #e0a800}.mark{color:#b58100}\n"
                // secondary columns hidden until the checkbox before their table is ticked (no script needed)
                + ".cols>input:not(:checked)~table .secondary{display:none}.cols label{color:#555;font-size:13px}\n"
                + "figure{margin:1.5em 0}img{max-width:100%;border:1px solid #eee}figcaption{color:#555}\n"
                + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n<p class=\"meta\">generated "
                + Instant.now() + "</p>\n" + body + "</body>\n</html>\n";
    }

    public byte[] toBytes() {
        return render().getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s.replace("%", ""));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
