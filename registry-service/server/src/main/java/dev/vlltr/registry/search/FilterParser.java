package dev.vlltr.registry.search;

import java.time.OffsetDateTime;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the search filter language into parameterised SQL.
 *
 * <pre>
 * expr       := term ( OR term )*
 * term       := factor ( AND factor )*
 * factor     := '(' expr ')' | comparison
 * comparison := field op value
 * field      := name | name '.' key        (key may be back-quoted: tags.`my key`)
 * op         := = | != | &lt; | &lt;= | &gt; | &gt;= | LIKE | ILIKE
 * value      := 'text' | "text" | number
 * </pre>
 * Example: {@code name LIKE 'lgr-%' AND tags.team = 'vision' AND metrics.few_acc > 0.4}.
 */
public final class FilterParser {
    static final int MAX_LENGTH = 2000;
    static final int MAX_COMPARISONS = 50;
    static final int MAX_DEPTH = 20;

    private enum Op {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">="), LIKE("like"), ILIKE("ilike");
        final String sql;
        Op(String sql) { this.sql = sql; }
    }

    private record Token(String type, String text, int pos) {}

    private final FieldCatalog catalog;
    private final List<Token> tokens;
    private int i;
    private int comparisons;
    private final List<Object> params = new ArrayList<>();

    private FilterParser(FieldCatalog catalog, List<Token> tokens) {
        this.catalog = catalog;
        this.tokens = tokens;
    }

    /** Parses {@code filter}; a null or blank filter matches everything. */
    public static SqlFragment parse(String filter, FieldCatalog catalog) {
        if (filter == null || filter.isBlank()) {
            return SqlFragment.TRUE;
        }
        if (filter.length() > MAX_LENGTH) {
            throw new FilterException("filter is longer than " + MAX_LENGTH + " characters");
        }
        FilterParser p = new FilterParser(catalog, tokenize(filter));
        String sql = p.expr(0);
        if (p.i < p.tokens.size()) {
            Token t = p.tokens.get(p.i);
            throw new FilterException("unexpected '" + t.text + "' at position " + t.pos + "; expected AND, OR or the end");
        }
        return new SqlFragment("(" + sql + ")", List.copyOf(p.params));
    }

    private String expr(int depth) {
        if (depth > MAX_DEPTH) {
            throw new FilterException("filter nests deeper than " + MAX_DEPTH + " parentheses");
        }
        StringBuilder sb = new StringBuilder(term(depth));
        while (keyword("OR")) {
            sb.append(" or ").append(term(depth));
        }
        return sb.toString();
    }

    private String term(int depth) {
        StringBuilder sb = new StringBuilder(factor(depth));
        while (keyword("AND")) {
            sb.append(" and ").append(factor(depth));
        }
        return sb.toString();
    }

    private String factor(int depth) {
        Token t = peek("a field name or '('");
        if (t.type.equals("(")) {
            i++;
            String inner = expr(depth + 1);
            Token close = peek("')'");
            if (!close.type.equals(")")) {
                throw new FilterException("expected ')' at position " + close.pos + ", found '" + close.text + "'");
            }
            i++;
            return "(" + inner + ")";
        }
        return comparison();
    }

    private String comparison() {
        if (++comparisons > MAX_COMPARISONS) {
            throw new FilterException("filter has more than " + MAX_COMPARISONS + " comparisons");
        }
        Token f = next("a field name");
        if (!f.type.equals("word")) {
            throw new FilterException("expected a field name at position " + f.pos + ", found '" + f.text + "'");
        }
        String name = f.text;
        if (i < tokens.size() && tokens.get(i).type.equals("quotedkey")) {
            name = name + tokens.get(i++).text; // tags.`odd key`: word ends with '.'
        }
        FieldCatalog.Field field = catalog.resolve(name);
        if (field == null) {
            throw new FilterException("unknown field '" + name + "' at position " + f.pos + "; known: "
                    + catalog.describe());
        }
        Token o = next("an operator");
        Op op = operator(o);
        Token v = next("a value");
        Object value;
        switch (field.kind()) {
            case NUMBER -> {
                if (!v.type.equals("word") || op == Op.LIKE || op == Op.ILIKE) {
                    throw new FilterException("field '" + name + "' is numeric: expected =, !=, <, <=, >, >= and a number"
                            + " at position " + v.pos);
                }
                try {
                    double d = Double.parseDouble(v.text);
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException();
                    }
                    value = d;
                } catch (NumberFormatException e) {
                    throw new FilterException("expected a number at position " + v.pos + ", found '" + v.text + "'");
                }
            }
            case TIMESTAMP -> {
                if (!v.type.equals("string") || op == Op.LIKE || op == Op.ILIKE) {
                    throw new FilterException("field '" + name + "' is a time: compare it with a quoted ISO-8601"
                            + " timestamp at position " + v.pos);
                }
                try {
                    value = Timestamps.parse(v.text);
                } catch (DateTimeException e) {
                    throw new FilterException("expected " + Timestamps.EXPECTED + " at position " + v.pos
                            + ", found '" + v.text + "'");
                }
            }
            default -> {
                if (!v.type.equals("string")) {
                    throw new FilterException("field '" + name + "' is text: expected a quoted value at position "
                            + v.pos + ", found '" + v.text + "'");
                }
                value = v.text;
            }
        }
        params.addAll(field.keyParams());
        params.add(value);
        return String.format(Locale.ROOT, field.template(), op.sql);
    }

    private Op operator(Token o) {
        if (o.type.equals("op")) {
            return switch (o.text) {
                case "=", "==" -> Op.EQ;
                case "!=", "<>" -> Op.NE;
                case "<" -> Op.LT;
                case "<=" -> Op.LE;
                case ">" -> Op.GT;
                case ">=" -> Op.GE;
                default -> throw new FilterException("unknown operator '" + o.text + "' at position " + o.pos);
            };
        }
        if (o.type.equals("word")) {
            String w = o.text.toUpperCase(Locale.ROOT);
            if (w.equals("LIKE")) {
                return Op.LIKE;
            }
            if (w.equals("ILIKE")) {
                return Op.ILIKE;
            }
        }
        throw new FilterException("expected an operator (=, !=, <, <=, >, >=, LIKE, ILIKE) at position " + o.pos
                + ", found '" + o.text + "'");
    }

    private boolean keyword(String kw) {
        if (i < tokens.size() && tokens.get(i).type.equals("word") && tokens.get(i).text.equalsIgnoreCase(kw)) {
            i++;
            return true;
        }
        return false;
    }

    private Token peek(String expected) {
        if (i >= tokens.size()) {
            throw new FilterException("filter ends early; expected " + expected);
        }
        return tokens.get(i);
    }

    private Token next(String expected) {
        Token t = peek(expected);
        i++;
        return t;
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int p = 0;
        while (p < s.length()) {
            char c = s.charAt(p);
            if (Character.isWhitespace(c)) {
                p++;
            } else if (c == '(' || c == ')') {
                out.add(new Token(String.valueOf(c), String.valueOf(c), p));
                p++;
            } else if (c == '\'' || c == '"') {
                StringBuilder sb = new StringBuilder();
                int start = p++;
                while (true) {
                    if (p >= s.length()) {
                        throw new FilterException("unterminated string starting at position " + start);
                    }
                    char d = s.charAt(p++);
                    if (d == c) {
                        if (p < s.length() && s.charAt(p) == c) { // doubled quote = a literal quote
                            sb.append(c);
                            p++;
                            continue;
                        }
                        break;
                    }
                    sb.append(d);
                }
                out.add(new Token("string", sb.toString(), start));
            } else if (c == '`') {
                int end = s.indexOf('`', p + 1);
                if (end < 0) {
                    throw new FilterException("unterminated `key` starting at position " + p);
                }
                out.add(new Token("quotedkey", s.substring(p + 1, end), p));
                p = end + 1;
            } else if ("=!<>".indexOf(c) >= 0) {
                int start = p;
                while (p < s.length() && "=!<>".indexOf(s.charAt(p)) >= 0 && p - start < 2) {
                    p++;
                }
                out.add(new Token("op", s.substring(start, p), start));
            } else if (Character.isLetterOrDigit(c) || "_.-+".indexOf(c) >= 0) {
                int start = p;
                while (p < s.length() && (Character.isLetterOrDigit(s.charAt(p)) || "_.-+".indexOf(s.charAt(p)) >= 0)) {
                    p++;
                }
                out.add(new Token("word", s.substring(start, p), start));
            } else {
                throw new FilterException("unexpected character '" + c + "' at position " + p);
            }
        }
        return out;
    }
}
