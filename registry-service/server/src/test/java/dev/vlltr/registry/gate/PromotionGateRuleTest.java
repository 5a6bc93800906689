package dev.vlltr.registry.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.registry.dto.Policy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate rule on hand-computed cases, boundaries included (plain JUnit, no server). */
class PromotionGateRuleTest {
    static final Policy POLICY = new Policy(List.of("production"), Map.of("acc", 0.01, "few_acc", 0.02),
            Map.of("few_acc", 0.30));

    @Test
    void dropExactlyAtTheToleranceIsAllowedJustBeyondIsBlocked() {
        // 0.40 - 0.02 = 0.38 in decimal; in binary 0.40 - 0.02 = 0.38000000000000006 > 0.38: the 1e-12 slack lets it pass
        assertEquals(List.of(), PromotionGate.reasons(POLICY, Map.of("acc", 0.61, "few_acc", 0.38),
                Map.of("acc", 0.62, "few_acc", 0.40)));
        List<String> r = PromotionGate.reasons(POLICY, Map.of("acc", 0.61, "few_acc", 0.3799),
                Map.of("acc", 0.62, "few_acc", 0.40));
        assertEquals(List.of("metric 'few_acc' drops by 0.0201 (0.4000 -> 0.3799), more than the allowed 0.0200"), r);
    }

    @Test
    void everyViolationIsReported() {
        List<String> r = PromotionGate.reasons(POLICY, Map.of("acc", 0.55, "few_acc", 0.25),
                Map.of("acc", 0.62, "few_acc", 0.40));
        assertEquals(3, r.size(), r.toString());
        assertTrue(r.contains("metric 'acc' drops by 0.0700 (0.6200 -> 0.5500), more than the allowed 0.0100"), r.toString());
        assertTrue(r.contains("metric 'few_acc' is 0.2500, below the required minimum 0.3000"), r.toString());
    }

    @Test
    void missingMetricsAndNoCurrentHolder() {
        List<String> r = PromotionGate.reasons(POLICY, Map.of("acc", 0.70), Map.of("acc", 0.62, "few_acc", 0.40));
        assertEquals(2, r.size(), r.toString()); // missing vs current holder, and missing vs the floor
        assertTrue(r.get(0).contains("missing on the candidate"), r.toString());
        // no current holder: only the floors apply
        assertEquals(List.of(), PromotionGate.reasons(POLICY, Map.of("few_acc", 0.31), null));
        assertEquals(1, PromotionGate.reasons(POLICY, Map.of("few_acc", 0.29), null).size());
        // a metric the current holder lacks cannot drop
        assertEquals(List.of(), PromotionGate.reasons(POLICY, Map.of("acc", 0.1, "few_acc", 0.5), Map.of("few_acc", 0.5)));
        // an improvement always passes
        assertEquals(List.of(), PromotionGate.reasons(POLICY, Map.of("acc", 0.9, "few_acc", 0.9),
                Map.of("acc", 0.62, "few_acc", 0.40)));
    }
}
