package dev.vlltr.runtime.cli;

import java.util.Locale;

/**
 * The allowed values of a numeric parameter: a lower and/or upper bound, each inclusive or exclusive. Declared on the
 * {@link ParamSpec}, shown in {@code --help} and checked before any work, so stages only check rules that link two
 * parameters.
 *
 * @param min         lower bound, or null
 * @param minExcluded whether the lower bound itself is excluded
 * @param max         upper bound, or null
 * @param maxExcluded whether the upper bound itself is excluded
 */
public record ValueRange(Double min, boolean minExcluded, Double max, boolean maxExcluded) {

    public ValueRange {
        if (min == null && max == null) {
            throw new IllegalArgumentException("a range needs a bound");
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("empty range: min " + min + " > max " + max);
        }
    }

    /** @return whether {@code v} lies in the range */
    public boolean contains(double v) {
        boolean aboveMin = min == null || (minExcluded ? v > min : v >= min);
        boolean belowMax = max == null || (maxExcluded ? v < max : v <= max);
        return aboveMin && belowMax;
    }

    /** {@code >= 1}, {@code > 0}, {@code [0, 1]}, {@code [0, 1)}: as {@code --help} and errors show it. */
    @Override
    public String toString() {
        if (max == null) {
            return (minExcluded ? "> " : ">= ") + number(min);
        }
        if (min == null) {
            return (maxExcluded ? "< " : "<= ") + number(max);
        }
        return (minExcluded ? "(" : "[") + number(min) + ", " + number(max) + (maxExcluded ? ")" : "]");
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
