package dev.vlltr.runtime.cli;

import java.util.List;
import java.util.Objects;

/**
 * One stage parameter ({@code --param NAME=VALUE}): its type, default and meaning. Stages declare their parameters
 * as a list of these; the runtime validates values, fills defaults, and documents them in {@code --help}.
 *
 * @param name         e.g. {@code epochs}
 * @param type         value type
 * @param defaultValue default as a string, or null when the parameter is required
 * @param description  one line for {@code --help}
 * @param choices      allowed values for {@link Type#ENUM}, else empty
 * @param range        allowed values of a number (every element of a list), or null for any
 */
public record ParamSpec(String name, Type type, String defaultValue, String description, List<String> choices,
        ValueRange range) {

    /** Value types; lists are comma-separated. */
    public enum Type { STRING, INT, DOUBLE, BOOL, ENUM, STRING_LIST, DOUBLE_LIST }

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (!name.matches("[a-z][a-z0-9_.-]*")) {
            throw new IllegalArgumentException("parameter names are lower-case identifiers, got '" + name + "'");
        }
        if (range != null && type != Type.INT && type != Type.DOUBLE && type != Type.DOUBLE_LIST) {
            throw new IllegalArgumentException("parameter '" + name + "': only numbers have a range");
        }
        if (defaultValue != null) {
            try {
                parse(name, type, choices, range, defaultValue);
            } catch (BadInputException e) {
                throw new IllegalArgumentException("bad default of parameter '" + name + "': " + e.getMessage(), e);
            }
        }
    }

    /** A parameter without a range. */
    public ParamSpec(String name, Type type, String defaultValue, String description, List<String> choices) {
        this(name, type, defaultValue, description, choices, null);
    }

    /** @return this parameter, its values at least {@code min} */
    public ParamSpec min(double min) {
        return withRange(new ValueRange(min, false, null, false));
    }

    /** @return this parameter, its values above {@code min} (e.g. a learning rate: {@code > 0}) */
    public ParamSpec above(double min) {
        return withRange(new ValueRange(min, true, null, false));
    }

    /** @return this parameter, its values in {@code [min, max]} */
    public ParamSpec between(double min, double max) {
        return withRange(new ValueRange(min, false, max, false));
    }

    /** @return this parameter with the given range */
    public ParamSpec withRange(ValueRange r) {
        return new ParamSpec(name, type, defaultValue, description, choices, r);
    }

    public static ParamSpec string(String name, String dflt, String description) {
        return new ParamSpec(name, Type.STRING, dflt, description, List.of());
    }

    public static ParamSpec integer(String name, Integer dflt, String description) {
        return new ParamSpec(name, Type.INT, dflt == null ? null : dflt.toString(), description, List.of());
    }

    public static ParamSpec decimal(String name, Double dflt, String description) {
        return new ParamSpec(name, Type.DOUBLE, dflt == null ? null : dflt.toString(), description, List.of());
    }

    public static ParamSpec bool(String name, boolean dflt, String description) {
        return new ParamSpec(name, Type.BOOL, Boolean.toString(dflt), description, List.of());
    }

    public static ParamSpec choice(String name, String dflt, String description, String... choices) {
        return new ParamSpec(name, Type.ENUM, dflt, description, List.of(choices));
    }

    public static ParamSpec strings(String name, String dflt, String description) {
        return new ParamSpec(name, Type.STRING_LIST, dflt, description, List.of());
    }

    public static ParamSpec decimals(String name, String dflt, String description) {
        return new ParamSpec(name, Type.DOUBLE_LIST, dflt, description, List.of());
    }

    public boolean required() {
        return defaultValue == null;
    }

    /** Parses and validates a value, throwing {@link BadInputException} that names the parameter. */
    public Object parse(String value) {
        return parse(name, type, choices, range, value);
    }

    private static Object parse(String name, Type type, List<String> choices, ValueRange range, String value) {
        Object parsed = parse(name, type, choices, value);
        if (range != null) {
            List<?> values = parsed instanceof List<?> l ? l : List.of(parsed);
            for (Object v : values) {
                if (!range.contains(((Number) v).doubleValue())) {
                    throw new BadInputException("parameter '" + name + "': expected " + range + ", got '"
                            + value.strip() + "'");
                }
            }
        }
        return parsed;
    }

    private static Object parse(String name, Type type, List<String> choices, String value) {
        String v = value.strip();
        try {
            return switch (type) {
                case STRING -> v;
                case INT -> Integer.parseInt(v);
                case DOUBLE -> {
                    double d = Double.parseDouble(v);
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException("not finite");
                    }
                    yield d;
                }
                case BOOL -> {
                    if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                        throw new NumberFormatException("not a boolean");
                    }
                    yield Boolean.parseBoolean(v);
                }
                case ENUM -> {
                    if (!choices.contains(v)) {
                        throw new BadInputException("parameter '" + name + "': expected one of " + choices
                                + ", got '" + value + "'");
                    }
                    yield v;
                }
                case STRING_LIST -> v.isEmpty() ? List.of() : List.of(v.split("\\s*,\\s*"));
                case DOUBLE_LIST -> {
                    if (v.isEmpty()) {
                        yield List.of();
                    }
                    List<Double> out = new java.util.ArrayList<>();
                    for (String s : v.split("\\s*,\\s*")) {
                        out.add(Double.parseDouble(s));
                    }
                    yield List.copyOf(out);
                }
            };
        } catch (NumberFormatException e) {
            throw new BadInputException("parameter '" + name + "': expected " + describe(type) + ", got '" + value
                    + "'");
        }
    }

    private static String describe(Type t) {
        return switch (t) {
            case INT -> "an integer";
            case DOUBLE -> "a finite number";
            case BOOL -> "true or false";
            case DOUBLE_LIST -> "comma-separated numbers";
            default -> "a value";
        };
    }
}
