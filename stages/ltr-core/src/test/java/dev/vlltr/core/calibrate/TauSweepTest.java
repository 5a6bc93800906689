package dev.vlltr.core.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TauSweepTest {

    /** Class 0 has a 4× larger weight norm, as a head class after joint training would. */
    private static final LinearClassifier HEAD_BIASED =
            new LinearClassifier(new float[][] {{4, 0}, {0, 1}}, new float[] {100, 0});

    /**
     * Class-1 sample (1, 1.8): correct iff 4^(1-τ) < 1.8 ⇔ τ > 1 - log4(1.8) ≈ 0.576; class-0 sample (1, 0.6):
     * correct iff 4^(1-τ) > 0.6 ⇔ τ < 1 - log4(0.6) ≈ 1.368. So mean class accuracy is 1 for τ ∈ {0.6 … 1.3},
     * else 0.5.
     */
    private static LabeledFeatures validation(SplitRole role) {
        return new LabeledFeatures(new float[][] {{1, 0.6f}, {1, 1.8f}}, new int[] {0, 1}, 2, role);
    }

    @Test
    void defaultGridIsNumpyLinspace() {
        double[] g = TauSweep.defaultGrid();
        assertEquals(21, g.length);
        assertEquals(0.0, g[0]);
        assertEquals(0.30000000000000004, g[3]); // numpy: np.linspace(0, 2, 21)[3]
        assertEquals(0.6000000000000001, g[6]);
        assertEquals(2.0, g[20]);
    }

    @Test
    void selectsTauOnValidationAndRecordsAllScores() {
        TauSweepResult r = TauSweep.builder().setClassifier(HEAD_BIASED).build().run(validation(SplitRole.VALIDATION));
        double[] expected = new double[21];
        for (int i = 0; i < 21; i++) {
            expected[i] = (i >= 6 && i <= 13) ? 1.0 : 0.5;
        }
        assertArrayEquals(expected, r.scores(), 1e-12);
        assertEquals(6, r.bestIndex());
        assertEquals(0.6000000000000001, r.bestTau());
        assertEquals(1.0, r.bestScore());
        assertEquals(SplitRole.VALIDATION, r.split());
        assertEquals(TauSelectionMetric.MEAN_CLASS_ACCURACY, r.metric());
        assertEquals(21, r.scoresByTau().size());
        assertEquals(0.6000000000000001, r.toMetrics().get("tau"));
        assertEquals(1.0, r.toMetrics().get("tau_sweep/val_score_tau_1.3"));
        assertEquals(0.5, r.toMetrics().get("tau_sweep/val_score_tau_1.4"));
    }

    @Test
    void customGridAndTop1Metric() {
        TauSweepResult r = TauSweep.builder().setClassifier(HEAD_BIASED).optGrid(0, 2, 1)
                .optMetric(TauSelectionMetric.TOP1).build().run(validation(SplitRole.VALIDATION));
        assertArrayEquals(new double[] {0.5, 0.5, 1.0}, r.scores(), 1e-12);
        assertEquals(1.0, r.bestTau());
    }

    @Test
    void refusesTestAndTrainSplits() {
        TauSweep sweep = TauSweep.builder().setClassifier(HEAD_BIASED).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sweep.run(validation(SplitRole.TEST)));
        assertTrue(e.getMessage().contains("VALIDATION") && e.getMessage().contains("TEST"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> sweep.run(validation(SplitRole.TRAIN)));
    }

    @Test
    void rejectsMismatchedDimensions() {
        LabeledFeatures threeD = new LabeledFeatures(new float[][] {{1, 2, 3}}, new int[] {0}, 2, SplitRole.VALIDATION);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TauSweep.builder().setClassifier(HEAD_BIASED).build().run(threeD));
        assertTrue(e.getMessage().contains("D = 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TauSweep.builder().build());
    }
}
