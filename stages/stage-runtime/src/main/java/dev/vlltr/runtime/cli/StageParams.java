package dev.vlltr.runtime.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The validated, effective parameters of one stage execution (defaults filled in), with typed getters. */
public final class StageParams {

    private final Map<String, ParamSpec> specs = new LinkedHashMap<>();
    private final Map<String, String> raw = new TreeMap<>();
    private final Map<String, Object> typed = new LinkedHashMap<>();
    private String stage;
    private List<ParamSpec> declared;
    private Map<String, String> given;

    /**
     * Validates {@code given} against {@code specs}: unknown names, missing required ones and malformed values are
     * {@link BadInputException}s that name the parameter and the stage.
     */
    public static StageParams validate(String stage, List<ParamSpec> specs, Map<String, String> given) {
        StageParams p = new StageParams();
        p.stage = stage;
        p.declared = List.copyOf(specs);
        p.given = Map.copyOf(given);
        for (ParamSpec s : specs) {
            if (p.specs.put(s.name(), s) != null) {
                throw new IllegalStateException("stage " + stage + " declares parameter '" + s.name() + "' twice");
            }
        }
        for (String name : given.keySet()) {
            if (!p.specs.containsKey(name)) {
                throw new BadInputException("unknown parameter '" + name + "' for stage '" + stage + "'; known: "
                        + p.specs.keySet());
            }
        }
        for (ParamSpec s : specs) {
            String value = given.containsKey(s.name()) ? given.get(s.name()) : s.defaultValue();
            if (value == null) {
                throw new BadInputException("missing required parameter '" + s.name() + "' for stage '" + stage
                        + "' (" + s.description() + ")");
            }
            Object parsed = s.parse(value);
            p.typed.put(s.name(), parsed);
            p.raw.put(s.name(), canonical(s.type(), parsed));
        }
        return p;
    }

    /**
     * These parameters with {@code preset} values in place of the defaults: a parameter the user gave keeps its value,
     * every other one named in {@code preset} takes the preset's (validated like a given value). Names this stage
     * does not declare are left out (see {@link #undeclared}).
     *
     * @param preset parameter name → value
     * @return the effective parameters
     */
    public StageParams withPreset(Map<String, String> preset) {
        Map<String, String> merged = new LinkedHashMap<>();
        preset.forEach((k, v) -> {
            if (specs.containsKey(k)) {
                merged.put(k, v);
            }
        });
        merged.putAll(given);
        return validate(stage, declared, merged);
    }

    /** @return the names in {@code values} that this stage does not declare */
    public List<String> undeclared(Map<String, String> values) {
        return values.keySet().stream().filter(k -> !specs.containsKey(k)).sorted().toList();
    }

    /** @return whether the user gave this parameter (rather than it taking its default) */
    public boolean isGiven(String name) {
        return given.containsKey(name);
    }

    /**
     * The one spelling of a parsed value, so that equal values give equal fingerprints: {@code lr=5.0E-4},
     * {@code lr=0.0005} and {@code lr=.0005} all become {@code 5.0E-4}; {@code epochs=010} becomes {@code 10};
     * {@code TRUE} becomes {@code true}; list items lose the spaces around commas. Numbers use Java's
     * {@link Double#toString}/{@link Integer#toString} of the parsed value (so the defaults, declared as numbers,
     * already are canonical); -0.0 counts as 0.0.
     */
    static String canonical(ParamSpec.Type type, Object parsed) {
        return switch (type) {
            case STRING, ENUM -> (String) parsed;
            case INT -> Integer.toString((Integer) parsed);
            case DOUBLE -> number((Double) parsed);
            case BOOL -> Boolean.toString((Boolean) parsed);
            case STRING_LIST -> String.join(",", castList(parsed).stream().map(String.class::cast).toList());
            case DOUBLE_LIST -> String.join(",", castList(parsed).stream().map(d -> number((Double) d)).toList());
        };
    }

    private static String number(double d) {
        return Double.toString(d == 0.0 ? 0.0 : d);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object parsed) {
        return (List<Object>) parsed;
    }

    /**
     * Effective values in their canonical spelling ({@link #canonical}), sorted by name: what the manifest records
     * and the fingerprint covers.
     */
    public Map<String, String> asStrings() {
        return Collections.unmodifiableMap(raw);
    }

    public String string(String name) {
        return (String) get(name);
    }

    public int integer(String name) {
        return (Integer) get(name);
    }

    public double decimal(String name) {
        return (Double) get(name);
    }

    public boolean bool(String name) {
        return (Boolean) get(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String name) {
        return (List<String>) get(name);
    }

    @SuppressWarnings("unchecked")
    public List<Double> decimals(String name) {
        return (List<Double>) get(name);
    }

    private Object get(String name) {
        if (!typed.containsKey(name)) {
            throw new IllegalStateException("parameter '" + name + "' was not declared");
        }
        return typed.get(name);
    }
}
