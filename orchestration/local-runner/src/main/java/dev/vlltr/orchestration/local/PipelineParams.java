package dev.vlltr.orchestration.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.vlltr.orchestration.PipelineSpec;
import dev.vlltr.orchestration.PipelineSpec.PipelineParam;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Pipeline parameter values for a local run: a profile file ({@code orchestration/profiles/<name>.yaml}, a flat map
 * of pipeline parameters) overlaid by {@code --param key=value} pairs, each converted to the parameter's declared type
 * and checked against its constraints (minimum, maximum, pattern, enum, array items) as the Airflow form would.
 */
public final class PipelineParams {

    private static final ObjectMapper YAML = new YAMLMapper();

    private PipelineParams() {}

    /** Reads a profile: a YAML map of pipeline parameter names to values. */
    public static Map<String, Object> readProfile(Path file, PipelineSpec spec) {
        Map<?, ?> raw;
        try {
            raw = YAML.readValue(Files.readString(file), Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read profile (" + e.getMessage() + ")", e);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (raw == null) {
            return values;
        }
        raw.forEach((k, v) -> {
            String key = String.valueOf(k);
            PipelineParam p = param(spec, key, file.toString());
            values.put(key, check(key, p, v instanceof String s ? convert(key, p, s) : normalise(v),
                    file.toString()));
        });
        return values;
    }

    /** Parses {@code key=value} command-line pairs (arrays comma-separated). */
    public static Map<String, Object> parse(List<String> pairs, PipelineSpec spec) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--param '" + pair + "': expected KEY=VALUE");
            }
            String key = pair.substring(0, eq);
            PipelineParam p = param(spec, key, "--param");
            values.put(key, check(key, p, convert(key, p, pair.substring(eq + 1)), "--param"));
        }
        return values;
    }

    private static PipelineParam param(PipelineSpec spec, String key, String source) {
        PipelineParam p = spec.params().get(key);
        if (p == null) {
            throw new IllegalArgumentException(source + ": unknown pipeline parameter '" + key + "'; expected one of "
                    + spec.params().keySet());
        }
        return p;
    }

    private static Object normalise(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        return v;
    }

    private static Object convert(String key, PipelineParam p, String text) {
        try {
            return switch (p.type()) {
                case "integer" -> Long.parseLong(text.trim());
                case "number" -> Double.parseDouble(text.trim());
                case "boolean" -> {
                    if (!text.equals("true") && !text.equals("false")) {
                        throw new IllegalArgumentException("expected true or false");
                    }
                    yield Boolean.parseBoolean(text);
                }
                case "array" -> text.isBlank() ? List.of()
                        : new ArrayList<>(Arrays.stream(text.split(",")).map(String::trim).toList());
                default -> text;
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + key + "': '" + text + "' is not a valid " + p.type());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parameter '" + key + "': '" + text + "': " + e.getMessage());
        }
    }

    private static Object check(String key, PipelineParam p, Object value, String source) {
        String where = source + ": parameter '" + key + "'";
        if (value instanceof Number n && (p.type().equals("integer") || p.type().equals("number"))) {
            double d = n.doubleValue();
            if (p.minimum() != null && d < p.minimum() || p.maximum() != null && d > p.maximum()) {
                throw new IllegalArgumentException(where + " = " + value + " is outside [" + p.minimum() + ", "
                        + p.maximum() + "]");
            }
        }
        if (value instanceof String s && p.pattern() != null && !Pattern.compile(p.pattern()).matcher(s).find()) {
            throw new IllegalArgumentException(where + " = '" + s + "' does not match " + p.pattern());
        }
        if (value instanceof List<?> list) {
            if (p.minItems() != null && list.size() < p.minItems()) {
                throw new IllegalArgumentException(where + ": at least " + p.minItems() + " item(s) required");
            }
            if (p.items() != null && p.items().enumValues() != null) {
                for (Object item : list) {
                    if (!p.items().enumValues().contains(item)) {
                        throw new IllegalArgumentException(where + ": '" + item + "' is not one of "
                                + p.items().enumValues());
                    }
                }
            }
        }
        return value;
    }
}
