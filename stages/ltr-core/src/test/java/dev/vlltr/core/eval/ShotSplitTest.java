package dev.vlltr.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShotSplitTest {

    /** Training counts straddling both conventions' boundaries at 100 and 20. */
    static final int[] TRAIN = {101, 100, 99, 21, 20, 19, 10, 5, 0};
    /** Evaluated samples and correct predictions per class; accuracies 1, .25, .5, 0, .75, 1, 0, .25, .5. */
    static final PerClassAccuracy RESULTS = new PerClassAccuracy(
            new long[] {2, 1, 1, 0, 3, 2, 0, 1, 1}, new long[] {2, 4, 2, 1, 4, 2, 1, 4, 2});

    private static ShotSplitResult split(ShotConvention conv) {
        return ShotSplit.builder().setConvention(conv).setTrainClassCounts(TRAIN).build().evaluate(RESULTS);
    }

    @Test
    void decouplingBoundariesAndMeanOfClasses() {
        ShotSplitResult r = split(ShotConvention.DECOUPLING);
        assertEquals(ShotAggregation.MEAN_OF_CLASSES, r.aggregation());
        // many n > 100 {101}; medium 20 <= n <= 100 {100, 99, 21, 20}; few n < 20 {19, 10, 5, 0}
        assertEquals(1, r.group("many").numClasses());
        assertEquals(1.0, r.accuracy("many"), 1e-15);
        assertEquals(4, r.group("medium").numClasses());
        assertEquals((0.25 + 0.5 + 0 + 0.75) / 4, r.accuracy("medium"), 1e-15);
        assertEquals(4, r.group("few").numClasses());
        assertEquals((1 + 0 + 0.25 + 0.5) / 4, r.accuracy("few"), 1e-15);
        assertEquals(3, r.groups().size());
    }

    @Test
    void vlLtrBoundariesAndPooledAccuracy() {
        ShotSplitResult r = split(ShotConvention.VL_LTR);
        assertEquals(ShotAggregation.POOLED, r.aggregation());
        // many n >= 100 {101, 100}; medium 20 < n <= 99 {99, 21}; few 0 < n <= 20 {20, 19, 10, 5}; n = 0 in none
        assertEquals(2, r.group("many").numClasses());
        assertEquals(3.0 / 6, r.accuracy("many"), 1e-15);
        assertEquals(2, r.group("medium").numClasses());
        assertEquals(1.0 / 3, r.accuracy("medium"), 1e-15);
        assertEquals(4, r.group("few").numClasses());
        assertEquals(11, r.group("few").numSamples());
        assertEquals(6.0 / 11, r.accuracy("few"), 1e-15);
        assertEquals(1.0 / 5, r.accuracy("10shot"), 1e-15);
        assertEquals(1.0 / 4, r.accuracy("5shot"), 1e-15);
    }

    @Test
    void tercilesByTrainCount() {
        ShotSplitResult r = split(ShotConvention.TERCILES);
        assertEquals((1 + 0.25 + 0.5) / 3, r.accuracy("many"), 1e-15);
        assertEquals((0 + 0.75 + 1) / 3, r.accuracy("medium"), 1e-15);
        assertEquals((0 + 0.25 + 0.5) / 3, r.accuracy("few"), 1e-15);
        // 7 classes -> sizes 3/2/2, ties in count broken by class id
        ShotSplit s = ShotSplit.builder().setConvention(ShotConvention.TERCILES)
                .setTrainClassCounts(new int[] {5, 9, 9, 1, 3, 9, 2}).build();
        for (int c : new int[] {1, 2, 5}) {
            assertTrue(s.isMember("many", c), "class " + c);
        }
        for (int c : new int[] {0, 4}) {
            assertTrue(s.isMember("medium", c), "class " + c);
        }
        for (int c : new int[] {6, 3}) {
            assertTrue(s.isMember("few", c), "class " + c);
        }
    }

    @Test
    void aggregationCanBeOverridden() {
        ShotSplitResult r = ShotSplit.builder().setConvention(ShotConvention.DECOUPLING).setTrainClassCounts(TRAIN)
                .optAggregation(ShotAggregation.POOLED).build().evaluate(RESULTS);
        assertEquals((1 + 3) / 9.0, r.accuracy("few"), 1e-15); // classes 5..8: (2+0+1+1)/(2+1+4+2)
    }

    @Test
    void emptyGroupIsNanByDefaultAndZeroOnRequest() {
        int[] fmnistLt = {6000, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60};
        long[] ones = new long[10];
        java.util.Arrays.fill(ones, 1);
        PerClassAccuracy all = new PerClassAccuracy(ones, ones);
        ShotSplitResult nan = ShotSplit.builder().setConvention(ShotConvention.DECOUPLING)
                .setTrainClassCounts(fmnistLt).build().evaluate(all);
        assertEquals(8, nan.group("many").numClasses());
        assertEquals(2, nan.group("medium").numClasses());
        assertEquals(0, nan.group("few").numClasses());
        assertTrue(Double.isNaN(nan.accuracy("few")));
        ShotSplitResult zero = ShotSplit.builder().setConvention(ShotConvention.DECOUPLING)
                .setTrainClassCounts(fmnistLt).optEmptyGroupPolicy(EmptyGroupPolicy.ZERO).build().evaluate(all);
        assertEquals(0.0, zero.accuracy("few"));
        ShotSplitResult vl = ShotSplit.builder().setConvention(ShotConvention.VL_LTR)
                .setTrainClassCounts(fmnistLt).build().evaluate(all);
        assertEquals(9, vl.group("many").numClasses(), "n = 100 is many under VL-LTR");
        assertEquals(1, vl.group("medium").numClasses());
    }

    @Test
    void classesAbsentFromTheEvaluatedSplitDoNotCount() {
        PerClassAccuracy onlyFirst = new PerClassAccuracy(new long[] {1, 0, 0, 0, 0, 0, 0, 0, 0},
                new long[] {1, 0, 0, 0, 0, 0, 0, 0, 0});
        ShotSplitResult r = ShotSplit.builder().setConvention(ShotConvention.DECOUPLING).setTrainClassCounts(TRAIN)
                .build().evaluate(onlyFirst);
        assertEquals(1.0, r.accuracy("many"));
        assertTrue(Double.isNaN(r.accuracy("medium")));
        assertFalse(r.group("medium").numClasses() > 0);
    }

    @Test
    void customThresholdsAndErrors() {
        ShotSplit s = ShotSplit.builder().setConvention(ShotConvention.VL_LTR).setTrainClassCounts(TRAIN)
                .optThresholds(21, 10).build();
        assertTrue(s.isMember("many", 3)); // n = 21 > 20
        assertTrue(s.isMember("medium", 4)); // 10 < 20 <= 20
        assertTrue(s.isMember("few", 6)); // 0 < 10 <= 10
        assertThrows(IllegalArgumentException.class, () -> s.isMember("tail", 0));
        assertThrows(IllegalArgumentException.class, () -> split(ShotConvention.DECOUPLING).group("10shot"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShotSplit.builder()
                .setConvention(ShotConvention.DECOUPLING).setTrainClassCounts(new int[] {3, -1}).build());
        assertTrue(e.getMessage().contains("class 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShotSplit.builder()
                .setConvention(ShotConvention.DECOUPLING).setTrainClassCounts(new int[] {3}).build()
                .evaluate(RESULTS));
    }
}
