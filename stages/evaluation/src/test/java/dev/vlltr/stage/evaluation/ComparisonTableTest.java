package dev.vlltr.stage.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.eval.Evaluator;
import dev.vlltr.runtime.cli.BadInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The table, the selection and the registration decision on hand-computed cases. */
class ComparisonTableTest {

    /** Training counts on the conventions' boundaries: 150 (> 100), 100, 20, 10. */
    static final int[] COUNTS = {150, 100, 20, 10};
    /** Test labels: 4 of class 0, 2 each of classes 1-3. */
    static final int[] LABELS = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3};
    /** Predictions: class 0 3/4 right, class 1 1/2, class 2 2/2, class 3 0/2. */
    static final int[] PRED = {0, 0, 0, 1, 1, 0, 2, 2, 0, 1};

    static RowResult row(String key, int[] pred) {
        float[][] z = new float[pred.length][4];
        for (int i = 0; i < pred.length; i++) {
            z[i][pred[i]] = 10;
        }
        Evaluator ev = Evaluator.builder().setTrainClassCounts(COUNTS).build();
        ModelRow r = new ModelRow(key, key.toUpperCase(), key, "lgr", "recalibration-" + key, z, z, false, Map.of());
        return new RowResult(r, ev.evaluate(z, LABELS), ev.evaluate(z, LABELS));
    }

    @Test
    void shotGroupsAtTheBoundariesOfBothConventions() {
        String[] cells = new ComparisonTable(List.of(row("crt", PRED))).csv().split("\r\n")[1].split(",", -1);
        // model, method, backbone, val top-1, test top-1, top-5, mean-class
        assertEquals("0.600000", cells[3]);
        assertEquals("0.600000", cells[4]);
        assertEquals("1.000000", cells[5], "top-5 clamps to the 4 classes");
        assertEquals("0.562500", cells[6], "(0.75 + 0.5 + 1 + 0) / 4");
        // Decoupling: many {150}, medium 20 <= n <= 100 {100, 20}, few n < 20 {10}; mean of per-class accuracies
        assertEquals("0.750000", cells[7]);
        assertEquals("0.750000", cells[8]);
        assertEquals("0.000000", cells[9]);
        // VL-LTR: many n >= 100 {150, 100}, medium 20 < n < 100 {} (empty), few n <= 20 {20, 10}; pooled
        assertEquals("0.666667", cells[10], "(3 + 1) / (4 + 2)");
        assertEquals("", cells[11]);
        assertEquals("0.500000", cells[12], "(2 + 0) / (2 + 2)");
        // terciles of 4 classes: {150, 100}, {20}, {10}
        assertEquals("0.625000", cells[13]);
        assertEquals("1.000000", cells[14]);
        assertEquals("0.000000", cells[15]);
        // every confidence is softmax([10, 0, 0, 0])_0 = 1 / (1 + 3 e^-10), one bin: ECE = |0.6 - conf|
        assertEquals(1 / (1 + 3 * Math.exp(-10)) - 0.6, Double.parseDouble(cells[16]), 1e-6);

        String md = new ComparisonTable(List.of(row("crt", PRED))).markdown();
        assertTrue(md.contains("| CRT | crt | lgr | 60.00 | 60.00 | 100.00 | 56.25 | 75.00 | 75.00 | 0.00 | 66.67 | – |"),
                md);
    }

    @Test
    void selectionTakesTheFirstMaximumAndRejectsUnknownMetrics() {
        int[] better = PRED.clone();
        better[3] = 0; // one more right: 0.7
        List<RowResult> rows = List.of(row("a", PRED), row("b", better), row("c", better));
        ModelSelection.Choice c = ModelSelection.select(rows, "val/top1");
        assertEquals("b", c.row().row().key(), "first of the tied best");
        assertEquals(0.7, c.value(), 1e-12);
        assertEquals("b", ModelSelection.select(rows, "test/decoupling/many_acc").row().row().key());
        BadInputException e = assertThrows(BadInputException.class,
                () -> ModelSelection.select(rows, "test/vl_ltr/medium_acc"));
        assertTrue(e.getMessage().contains("'test/vl_ltr/medium_acc' is not defined for any row"), e.getMessage());
    }

    @Test
    void registrationIsSkippedWithoutARegistryUrl() {
        assertEquals("skipped: registry not configured; registration skipped",
                Registration.decide(true, null).status());
        assertEquals("skipped: registry not configured; registration skipped",
                Registration.decide(true, "  ").status());
        assertEquals("not-requested", Registration.decide(false, "http://r").status());
        Registration r = Registration.decide(true, " http://registry:8080 ");
        assertEquals("http://registry:8080", r.url());
        assertTrue(r.status().startsWith("pending"));
    }
}
