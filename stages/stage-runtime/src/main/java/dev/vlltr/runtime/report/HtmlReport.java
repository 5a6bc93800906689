package dev.vlltr.runtime.report;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A self-contained HTML report (no external files or scripts: plots are embedded as data URIs) built section by
 * section. All text is escaped.
 */
public final class HtmlReport {

    private final StringBuilder body = new StringBuilder();
    private final String title;

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
        if (rows.isEmpty()) {
            return this;
        }
        body.append("<table>\n<thead><tr>");
        for (String h : rows.get(0)) {
            body.append("<th>").append(escape(h)).append("</th>");
        }
        body.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : rows.subList(1, rows.size())) {
            body.append("<tr>");
            for (String cell : row) {
                body.append(isNumber(cell) ? "<td class=\"num\">" : "<td>").append(escape(cell)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody></table>\n");
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
                + "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}\n"
                + "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 10px}\n"
                + "th{background:#f0f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
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
