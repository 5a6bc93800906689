package dev.vlltr.core.eval;

import java.util.List;

/**
 * Shot-group accuracies under one convention.
 *
 * @param convention  the convention used
 * @param aggregation how groups were aggregated
 * @param groups      groups in order (many, medium, few[, 10shot, 5shot])
 */
public record ShotSplitResult(ShotConvention convention, ShotAggregation aggregation, List<ShotGroup> groups) {

    public ShotSplitResult {
        groups = List.copyOf(groups);
    }

    /** The group called {@code name}. */
    public ShotGroup group(String name) {
        for (ShotGroup g : groups) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("ShotSplitResult: no group '" + name + "' under " + convention
                + "; groups are " + groups.stream().map(ShotGroup::name).toList());
    }

    public double accuracy(String name) {
        return group(name).accuracy();
    }
}
