package dev.vlltr.core.calibrate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientAndOptimizerTest {

    private static final int C = 3;
    private static final int D = 4;
    private static final int N = 5;

    private static float[][] randomMatrix(Random r, int rows, int cols, double scale) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) (r.nextGaussian() * scale);
            }
        }
        return m;
    }

    private static float[] flat(float[][] m) {
        return LinearClassifier.flatten(m);
    }

    @Test
    void linearCrossEntropyGradientMatchesPlainJava() {
        Random r = new Random(3);
        float[][] w = randomMatrix(r, C, D, 1);
        float[] b = randomMatrix(r, 1, C, 1)[0];
        float[][] x = randomMatrix(r, N, D, 2);
        int[] y = {0, 2, 1, 1, 0};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray wa = m.create(flat(w), new Shape(C, D));
            NDArray ba = m.create(b);
            wa.setRequiresGradient(true);
            ba.setRequiresGradient(true);
            CrossEntropyObjective.LossAndGradients lg = CrossEntropyObjective.evaluate(LogitModel.linear(),
                    new NDArray[] {wa, ba}, m.create(flat(x), new Shape(N, D)), y);
            assertEquals(ReferenceMath.loss(ReferenceMath.logits(w, b, null, x), y), lg.loss(), 1e-5);
            double[][][] ref = ReferenceMath.linearGradients(w, b, x, y);
            float[] dw = lg.gradients()[0].toFloatArray();
            float[] db = lg.gradients()[1].toFloatArray();
            for (int c = 0; c < C; c++) {
                assertEquals(ref[1][0][c], db[c], 1e-5, "db" + c);
                for (int j = 0; j < D; j++) {
                    assertEquals(ref[0][c][j], dw[c * D + j], 1e-5, "dW" + c + "," + j);
                }
            }
        }
    }

    @Test
    void lwsScaleGradientMatchesPlainJava() {
        Random r = new Random(5);
        float[][] w = randomMatrix(r, C, D, 1);
        float[] b = randomMatrix(r, 1, C, 1)[0];
        float[] s = {0.5f, 1.2f, 2f};
        float[][] x = randomMatrix(r, N, D, 2);
        int[] y = {2, 2, 1, 0, 0};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray sa = m.create(s);
            sa.setRequiresGradient(true);
            LogitModel model = LogitModel.scaledLinear(m.create(flat(w), new Shape(C, D)), m.create(b));
            CrossEntropyObjective.LossAndGradients lg = CrossEntropyObjective.evaluate(model, new NDArray[] {sa},
                    m.create(flat(x), new Shape(N, D)), y);
            assertEquals(ReferenceMath.loss(ReferenceMath.logits(w, b, s, x), y), lg.loss(), 1e-5);
            assertArrayEquals(ReferenceMath.scaleGradient(w, b, s, x, y),
                    toDouble(lg.gradients()[0].toFloatArray()), 1e-5);
            // the scaled classifier's scores are the same logits
            float[][] scores = new ScaledLinearClassifier(new LinearClassifier(w, b), s).scores(x);
            double[][] ref = ReferenceMath.logits(w, b, s, x);
            for (int i = 0; i < N; i++) {
                assertArrayEquals(ref[i], toDouble(scores[i]), 1e-5);
            }
        }
    }

    @Test
    void sgdMomentumFollowsPytorchSemantics() {
        double mom = 0.9;
        double wd = 0.01;
        float[] p0 = {1f, -2f, 0.5f};
        float[] g1 = {0.1f, 0.2f, -0.3f};
        float[] g2 = {-0.4f, 0.05f, 0.25f};
        double lr1 = 0.2;
        double lr2 = 0.1;
        // reference: d = g + wd p; buf = d (first), buf = mom buf + d; p -= lr buf
        double[] p = toDouble(p0);
        double[] buf = new double[3];
        for (int i = 0; i < 3; i++) {
            buf[i] = g1[i] + wd * p[i];
            p[i] -= lr1 * buf[i];
        }
        for (int i = 0; i < 3; i++) {
            buf[i] = mom * buf[i] + g2[i] + wd * p[i];
            p[i] -= lr2 * buf[i];
        }
        try (NDManager m = NDManager.newBaseManager(); SgdMomentum sgd = new SgdMomentum(mom, wd)) {
            NDArray param = m.create(p0);
            sgd.step(new NDArray[] {param}, new NDArray[] {m.create(g1)}, lr1);
            sgd.step(new NDArray[] {param}, new NDArray[] {m.create(g2)}, lr2);
            assertArrayEquals(p, toDouble(param.toFloatArray()), 1e-6);
            assertThrows(IllegalArgumentException.class,
                    () -> sgd.step(new NDArray[] {param}, new NDArray[0], 0.1));
        }
    }

    /** With its scalars made once (ScalarConstants), the update is the Number-form chain's, bit for bit. */
    @Test
    void sgdMomentumIsBitIdenticalToTheNumberFormOfTheSameChain() {
        java.util.Random rnd = new java.util.Random(5);
        float[] p0 = new float[24];
        for (int i = 0; i < p0.length; i++) {
            p0[i] = (float) rnd.nextGaussian();
        }
        double mom = 0.9;
        double wd = 5e-4;
        try (NDManager m = NDManager.newBaseManager(); SgdMomentum sgd = new SgdMomentum(mom, wd)) {
            NDArray param = m.create(p0);
            NDArray ref = m.create(p0);
            NDArray buf = null;
            for (int t = 0; t < 8; t++) {
                double lr = 0.2 * (1 + Math.cos(Math.PI * (t + 1) / 8)) / 2;
                float[] g = new float[p0.length];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) (rnd.nextGaussian() * 1e-2);
                }
                sgd.step(new NDArray[] {param}, new NDArray[] {m.create(g)}, lr);
                NDArray d = m.create(g).addi(ref.mul(wd));
                buf = buf == null ? d.duplicate() : buf.muli(mom).addi(d);
                ref.subi(buf.mul(lr));
                assertArrayEquals(ref.toFloatArray(), param.toFloatArray(), "step " + t);
            }
        }
    }

    @Test
    void cosineScheduleIsSteppedBeforeEachEpochLikeTheOfficialCode() {
        SgdSchedule lws = SgdSchedule.lws();
        assertEquals(5, lws.epochs());
        for (int e = 0; e < 5; e++) {
            assertEquals(0.2 * (1 + Math.cos(Math.PI * (e + 1) / 5)) / 2, lws.learningRateAt(e), 1e-15);
        }
        assertEquals(0.0, lws.learningRateAt(4), 1e-15);
        SgdSchedule after = lws.withStepOrder(SchedulerStepOrder.AFTER_EPOCH);
        assertEquals(0.2, after.learningRateAt(0), 1e-15);
        assertEquals(0.2 * (1 + Math.cos(Math.PI * 4 / 5)) / 2, after.learningRateAt(4), 1e-15);
        assertEquals(0.2, lws.withCosine(false).learningRateAt(3));
        assertEquals(0.1, SgdSchedule.crt().withLinearlyScaledLr(512, 256).learningRate(), 1e-15);
        assertEquals(10, SgdSchedule.crt().epochs());
        assertEquals(30, SgdSchedule.crtINaturalist().epochs());
        assertEquals(1e-4, SgdSchedule.crtINaturalist().weightDecay());
        assertEquals(0.1, SgdSchedule.crtPlacesLt().learningRate());
        assertEquals(90, SgdSchedule.joint().epochs());
        assertEquals(5e-4, SgdSchedule.crt().weightDecay());
        assertEquals(0.9, SgdSchedule.crt().momentum());
        assertThrows(IllegalArgumentException.class, () -> lws.learningRateAt(5));
        assertThrows(IllegalArgumentException.class, () -> lws.withMomentum(1.0));
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
