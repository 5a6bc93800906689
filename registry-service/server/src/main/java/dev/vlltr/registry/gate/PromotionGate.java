package dev.vlltr.registry.gate;

import dev.vlltr.registry.dto.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Pure evaluation of a promotion policy: compares the candidate's flat metrics with the current holder's.
 * A candidate is refused when {@code candidate[k] < current[k] - maxDrop[k]} (a missing candidate metric
 * fails), or when {@code candidate[k] < minValue[k]}. With no current holder only the floors apply.
 */
public final class PromotionGate {
    private PromotionGate() {}

    public static List<String> reasons(Policy policy, Map<String, Double> candidate, Map<String, Double> current) {
        List<String> reasons = new ArrayList<>();
        if (policy.maxDrop() != null && current != null) {
            for (Map.Entry<String, Double> rule : policy.maxDrop().entrySet()) {
                String k = rule.getKey();
                Double cur = current.get(k);
                if (cur == null) {
                    continue; // nothing to compare with
                }
                Double cand = candidate.get(k);
                if (cand == null) {
                    reasons.add(String.format(Locale.ROOT, "metric '%s' is missing on the candidate; the current"
                            + " version has %.4f", k, cur));
                } else if (cand < cur - rule.getValue() - 1e-12) {
                    reasons.add(String.format(Locale.ROOT, "metric '%s' drops by %.4f (%.4f -> %.4f), more than"
                            + " the allowed %.4f", k, cur - cand, cur, cand, rule.getValue()));
                }
            }
        }
        if (policy.minValue() != null) {
            for (Map.Entry<String, Double> rule : policy.minValue().entrySet()) {
                Double cand = candidate.get(rule.getKey());
                if (cand == null) {
                    reasons.add(String.format(Locale.ROOT, "metric '%s' is missing on the candidate; the policy"
                            + " requires at least %.4f", rule.getKey(), rule.getValue()));
                } else if (cand < rule.getValue()) {
                    reasons.add(String.format(Locale.ROOT, "metric '%s' is %.4f, below the required minimum %.4f",
                            rule.getKey(), cand, rule.getValue()));
                }
            }
        }
        return reasons;
    }
}
