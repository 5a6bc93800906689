package dev.vlltr.runtime.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MlflowLimitsTest {

    private static List<MetricPoint> points(int n) {
        List<MetricPoint> m = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            m.add(new MetricPoint("loss", i, i, i));
        }
        return m;
    }

    private static Map<String, String> entries(String prefix, int n, int valueLength) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(prefix + i, "v".repeat(valueLength));
        }
        return m;
    }

    @Test
    void plansBatchesWithinEveryLimit() {
        // 2500 metrics, 150 params, 30 tags; by hand: [100 params + 900 metrics], [50 params + 30 tags + 920
        // metrics], [680 metrics]
        List<MlflowLimits.Batch> batches = MlflowLimits.plan(points(2500), entries("p", 150, 3), entries("t", 30, 3));
        assertEquals(3, batches.size());
        assertEquals(List.of(100, 0, 900), sizes(batches.get(0)));
        assertEquals(List.of(50, 30, 920), sizes(batches.get(1)));
        assertEquals(List.of(0, 0, 680), sizes(batches.get(2)));
        // order kept: metrics resume where the previous batch stopped
        assertEquals(900.0, batches.get(1).metrics().get(0).value());
        assertEquals("p100", batches.get(1).params().keySet().iterator().next());
    }

    @Test
    void splitsByRequestSize() {
        // 100 tags of 8000 three-byte characters = 2.4 MB: at most 900_000 / (8000 * 3 + ~100) = 37 per batch
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            tags.put("t" + i, "東".repeat(8000));
        }
        List<MlflowLimits.Batch> batches = MlflowLimits.plan(List.of(), Map.of(), tags);
        assertEquals(List.of(37, 37, 26), batches.stream().map(b -> b.tags().size()).toList());
    }

    @Test
    void emptyInputPlansNothingAndExactLimitIsOneBatch() {
        assertTrue(MlflowLimits.plan(List.of(), Map.of(), Map.of()).isEmpty());
        assertEquals(1, MlflowLimits.plan(points(1000), Map.of(), Map.of()).size());
        assertEquals(2, MlflowLimits.plan(points(1001), Map.of(), Map.of()).size());
    }

    @Test
    void checksKeysLikeTheServer() {
        MlflowLimits.checkKey("metric", "val/top1");
        MlflowLimits.checkKey("metric", "shot split.many-shot acc 1");
        MlflowLimits.checkKey("metric", "Genauigkeit_ä");
        for (String bad : List.of("", "a@b", "/abs", "a/", "a//b", "a/../b", "./a", "x".repeat(251))) {
            assertThrows(IllegalArgumentException.class, () -> MlflowLimits.checkKey("metric", bad), bad);
        }
        MlflowLimits.checkParam("p", "x".repeat(6000));
        assertThrows(IllegalArgumentException.class, () -> MlflowLimits.checkParam("p", "x".repeat(6001)));
        MlflowLimits.checkTag("t", "x".repeat(8000));
        assertThrows(IllegalArgumentException.class, () -> MlflowLimits.checkTag("t", "x".repeat(8001)));
        assertThrows(IllegalArgumentException.class, () -> MlflowLimits.checkTag("t", null));
    }

    private static List<Integer> sizes(MlflowLimits.Batch b) {
        return List.of(b.params().size(), b.tags().size(), b.metrics().size());
    }
}
