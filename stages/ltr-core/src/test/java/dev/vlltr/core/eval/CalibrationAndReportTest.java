package dev.vlltr.core.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationAndReportTest {

    static final float[][] PROBS = {
        {0.5f, 0.25f, 0.25f},   // y=0, conf .5 correct  -> bin (.25,.5]
        {0.75f, 0.125f, 0.125f}, // y=1, conf .75 wrong  -> bin (.5,.75]
        {0.9f, 0.05f, 0.05f},   // y=0, conf .9 correct  -> bin (.75,1]
        {0.2f, 0.6f, 0.2f},     // y=1, conf .6 correct  -> bin (.5,.75]
        {0.25f, 0.5f, 0.25f},   // y=0, conf .5 wrong    -> bin (.25,.5]
    };
    static final int[] LABELS = {0, 1, 0, 1, 0};

    @Test
    void eceAndReliabilityBinsAreHandComputed() {
        CalibrationResult r = ExpectedCalibrationError.fromProbabilities(PROBS, LABELS, 4);
        // bins: (.25,.5] acc .5 conf .5; (.5,.75] acc .5 conf .675; (.75,1] acc 1 conf .9
        assertEquals(2.0 / 5 * 0.175 + 1.0 / 5 * 0.1, r.ece(), 1e-6);
        assertEquals(0.175, r.mce(), 1e-6);
        assertEquals(4, r.bins().size());
        assertEquals(0, r.bins().get(0).count());
        assertTrue(Double.isNaN(r.bins().get(0).accuracy()));
        assertEquals(2, r.bins().get(1).count(), "confidence exactly 0.5 belongs to (0.25, 0.5]");
        assertEquals(0.5, r.bins().get(1).accuracy());
        assertEquals(0.675, r.bins().get(2).meanConfidence(), 1e-6);
        assertEquals(0.75, r.bins().get(2).upper());
    }

    @Test
    void logitsGoThroughSoftmax() {
        float[][] logits = new float[PROBS.length][3];
        for (int i = 0; i < PROBS.length; i++) {
            for (int c = 0; c < 3; c++) {
                logits[i][c] = (float) Math.log(PROBS[i][c]) + 7; // a shift must not matter
            }
        }
        // 3 bins: no confidence lies on an edge, so float rounding of the softmax cannot move a sample
        CalibrationResult a = ExpectedCalibrationError.fromProbabilities(PROBS, LABELS, 3);
        CalibrationResult b = ExpectedCalibrationError.fromLogits(logits, LABELS, 3);
        // (1/3, 2/3]: confs .5, .5, .6 with 2 of 3 correct; (2/3, 1]: confs .75, .9 with 1 of 2 correct
        assertEquals(3.0 / 5 * Math.abs(2.0 / 3 - 1.6 / 3) + 2.0 / 5 * Math.abs(0.5 - 0.825), b.ece(), 1e-6);
        assertEquals(a.ece(), b.ece(), 1e-6);
        assertEquals(15, ExpectedCalibrationError.fromLogits(logits, LABELS,
                ExpectedCalibrationError.DEFAULT_BINS).bins().size());
        assertThrows(IllegalArgumentException.class,
                () -> ExpectedCalibrationError.fromProbabilities(new float[][] {{1.5f, 0}}, new int[] {0}, 4));
        assertThrows(IllegalArgumentException.class, () -> ExpectedCalibrationError.fromLogits(logits, LABELS, 0));
    }

    @Test
    void perfectlyConfidentCorrectPredictionsHaveZeroEce() {
        float[][] sure = {{1, 0}, {0, 1}};
        assertEquals(0.0, ExpectedCalibrationError.fromProbabilities(sure, new int[] {0, 1}, 15).ece(), 1e-12);
    }

    @Test
    void reportBundlesEverythingAndFlattensMetrics() {
        // 3 classes, train counts 150 / 120 / 50: no class below 20, so Decoupling's "few" is empty
        float[][] scores = {{3, 1, 0}, {0, 2, 1}, {2, 1, 0}, {0, 1, 4}, {0, 3, 1}, {1, 0, 0}};
        int[] labels = {0, 1, 1, 2, 2, 0};
        EvaluationReport r = Evaluator.builder().setTrainClassCounts(new int[] {150, 120, 50}).build()
                .evaluate(scores, labels);
        assertEquals(6, r.numSamples());
        assertEquals(4.0 / 6, r.top1(), 1e-15);
        assertEquals(1.0, r.topKAccuracy(), "top-5 is clamped to C = 3");
        assertEquals((1 + 0.5 + 0.5) / 3, r.meanClassAccuracy(), 1e-15);
        assertEquals(1, r.confusion().get(1, 0));
        assertEquals(1, r.confusion().get(2, 1));
        assertEquals(ExpectedCalibrationError.fromLogits(scores, labels, 15).ece(), r.calibration().ece(), 1e-15);
        assertSame(ShotConvention.DECOUPLING, r.primaryConvention());

        Map<String, Double> m = r.toMetrics();
        assertEquals(4.0 / 6, m.get("top1"), 1e-15);
        assertEquals(1.0, m.get("top5"));
        assertEquals((1 + 0.5) / 2, m.get("many_acc"), 1e-15); // decoupling many: classes 0, 1 (n > 100)
        assertEquals(0.5, m.get("medium_acc"), 1e-15); // class 2
        assertFalse(m.containsKey("few_acc"), "an empty group is left out, not reported as 0");
        assertFalse(m.containsKey("decoupling/few_acc"));
        assertEquals(3.0 / 4, m.get("vl_ltr/many_acc"), 1e-15); // classes 0, 1 pooled: 3 of 4
        assertEquals(0.5, m.get("terciles/few_acc"), 1e-15);
        assertTrue(m.containsKey("ece") && m.containsKey("mce") && m.containsKey("mean_class_acc"));
        assertFalse(m.containsKey("vl_ltr/5shot_acc"));

        EvaluationReport zero = Evaluator.builder().setTrainClassCounts(new int[] {150, 120, 50})
                .optEmptyGroupPolicy(EmptyGroupPolicy.ZERO).optConventions(ShotConvention.VL_LTR)
                .optPrimaryConvention(ShotConvention.VL_LTR).optTopK(2).optConfusionMatrix(false).build()
                .evaluate(scores, labels);
        assertEquals(null, zero.confusion());
        assertEquals(0.0, zero.toMetrics().get("vl_ltr/5shot_acc"));
        assertTrue(zero.toMetrics().containsKey("top2"));
        assertEquals(3.0 / 4, zero.toMetrics().get("many_acc"), 1e-15);
    }

    @Test
    void evaluatorValidatesConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluator.builder()
                .setTrainClassCounts(new int[] {1, 2}).build().evaluate(new float[][] {{1, 2, 3}}, new int[] {0}));
        assertTrue(e.getMessage().contains("3 classes but 2 training counts"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Evaluator.builder().setTrainClassCounts(new int[] {1})
                .optConventions(ShotConvention.VL_LTR).build());
        assertThrows(IllegalArgumentException.class, () -> Evaluator.builder().build());
    }
}
