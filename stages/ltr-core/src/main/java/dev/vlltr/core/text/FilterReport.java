package dev.vlltr.core.text;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** How many sentences each {@link FilterRule} dropped (the first failing rule is counted). */
public final class FilterReport {

    private final EnumMap<FilterRule, Integer> dropped = new EnumMap<>(FilterRule.class);

    void count(FilterRule rule) {
        dropped.merge(rule, 1, Integer::sum);
    }

    /**
     * @param rule a rule
     * @return sentences it dropped
     */
    public int dropped(FilterRule rule) {
        return dropped.getOrDefault(rule, 0);
    }

    /** @return sentences dropped in total */
    public int total() {
        return dropped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** @return non-zero counts per rule */
    public Map<FilterRule, Integer> asMap() {
        return Collections.unmodifiableMap(dropped);
    }

    /**
     * Adds another report's counts to this one.
     *
     * @param other the other report
     */
    public void addAll(FilterReport other) {
        other.dropped.forEach((r, n) -> dropped.merge(r, n, Integer::sum));
    }
}
