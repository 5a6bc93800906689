package dev.vlltr.core.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultiPositiveContrastiveLossTest {

    private static final double LOG1P_EXP_M1 = Math.log(1 + Math.exp(-1));
    private static final double LOG1P_EXP_1 = Math.log(1 + Math.E);

    @Test
    void handWorkedOrthogonalPairsWithDistinctLabels() {
        // u1 = v1 = e1, u2 = v2 = e2, s = 1 ⇒ Z = I; every row: p = (e/(e+1), 1/(e+1)), one positive.
        double expected = 0.9 * LOG1P_EXP_M1 + 0.1 * (LOG1P_EXP_M1 + LOG1P_EXP_1) / 2; // 0.36326...
        assertEquals(0.363261, expected, 1e-6);
        assertEquals(expected, djlLoss(new float[] {0, 1}, 0.1), 1e-6);
        assertEquals(LOG1P_EXP_M1, djlLoss(new float[] {0, 1}, 0.0), 1e-6);
    }

    @Test
    void handWorkedOrthogonalPairsWithSharedLabel() {
        // Same label ⇒ t = (½, ½) in both rows: nll = smooth part = (log(1+e^-1) + log(1+e)) / 2.
        double expected = (LOG1P_EXP_M1 + LOG1P_EXP_1) / 2; // 0.81326...
        assertEquals(expected, djlLoss(new float[] {3, 3}, 0.1), 1e-6);
    }

    private static double djlLoss(float[] labels, double smoothing) {
        MultiPositiveContrastiveLoss loss =
                MultiPositiveContrastiveLoss.builder().optLabelSmoothing(smoothing).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray eye = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray value = loss.evaluate(
                    new NDList(m.create(labels)), new NDList(eye, eye.mul(3), m.create(new float[] {1f})));
            return value.getFloat();
        }
    }

    @Test
    void sameLabelTargetsAreRowNormalised() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] t = MultiPositiveContrastiveLoss.sameLabelTargets(m.create(new int[] {4, 7, 4})).toFloatArray();
            float[] expected = {0.5f, 0, 0.5f, 0, 1, 0, 0.5f, 0, 0.5f};
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], t[i], 0f, "entry " + i);
            }
        }
    }

    @Test
    void referenceGradientMatchesFiniteDifferences() {
        // Validates the hand-derived double-precision gradient before it is used as ground truth.
        Random rnd = new Random(7);
        int[] y = {0, 1, 0, 2, 1};
        double[][] a = Reference.randomMatrix(rnd, 5, 4);
        double[][] b = Reference.randomMatrix(rnd, 5, 4);
        double theta = 1.3;
        Reference.ContrastiveResult r = Reference.contrastive(a, b, theta, y, 0.1);
        double h = 1e-6;
        for (int i = 0; i < 5; i++) {
            for (int k = 0; k < 4; k++) {
                double[][] ap = copy(a);
                double[][] am = copy(a);
                ap[i][k] += h;
                am[i][k] -= h;
                double fd = (Reference.contrastive(ap, b, theta, y, 0.1).loss
                                - Reference.contrastive(am, b, theta, y, 0.1).loss) / (2 * h);
                assertEquals(fd, r.gradImage[i][k], 1e-7);
                double[][] bp = copy(b);
                double[][] bm = copy(b);
                bp[i][k] += h;
                bm[i][k] -= h;
                fd = (Reference.contrastive(a, bp, theta, y, 0.1).loss
                                - Reference.contrastive(a, bm, theta, y, 0.1).loss) / (2 * h);
                assertEquals(fd, r.gradText[i][k], 1e-7);
            }
        }
        double fd = (Reference.contrastive(a, b, theta + h, y, 0.1).loss
                        - Reference.contrastive(a, b, theta - h, y, 0.1).loss) / (2 * h);
        assertEquals(fd, r.gradTheta, 1e-7);
    }

    @Test
    void lossAndGradientsMatchIndependentDoubleRecomputation() {
        Random rnd = new Random(42);
        int[] y = {0, 1, 0, 2, 1, 0, 3};
        int n = y.length;
        int d = 6;
        double[][] a = Reference.asFloat(Reference.randomMatrix(rnd, n, d));
        double[][] b = Reference.asFloat(Reference.randomMatrix(rnd, n, d));
        double theta = (float) Math.log(1 / 0.07);
        for (double eps : new double[] {0.1, 0.0}) {
            Reference.ContrastiveResult r = Reference.contrastive(a, b, theta, y, eps);
            MultiPositiveContrastiveLoss loss =
                    MultiPositiveContrastiveLoss.builder().optLabelSmoothing(eps).build();
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray img = m.create(Reference.flat(a), new Shape(n, d));
                NDArray txt = m.create(Reference.flat(b), new Shape(n, d));
                NDArray th = m.create(new float[] {(float) theta});
                NDArray labels = m.create(y);
                img.setRequiresGradient(true);
                txt.setRequiresGradient(true);
                th.setRequiresGradient(true);
                double value;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss.evaluate(new NDList(labels), new NDList(img, txt, th.exp()));
                    value = l.getFloat();
                    gc.backward(l);
                }
                assertEquals(r.loss, value, 1e-5 * Math.max(1, r.loss), "loss, eps=" + eps);
                assertClose(r.gradImage, img.getGradient().toFloatArray(), 2e-5, "dL/dimage eps=" + eps);
                assertClose(r.gradText, txt.getGradient().toFloatArray(), 2e-5, "dL/dtext eps=" + eps);
                assertEquals(r.gradTheta, th.getGradient().getFloat(0), 2e-5, "dL/dθ eps=" + eps);
            }
        }
    }

    @Test
    void preNormalisedFeaturesAndFloatLabelsGiveTheSameLoss() {
        Random rnd = new Random(13);
        int[] y = {0, 2, 2, 1};
        double[][] a = Reference.asFloat(Reference.randomMatrix(rnd, 4, 3));
        double[][] b = Reference.asFloat(Reference.randomMatrix(rnd, 4, 3));
        double expected = Reference.contrastive(a, b, Math.log(10), y, 0.1).loss;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray img = m.create(Reference.flat(a), new Shape(4, 3));
            NDArray txt = m.create(Reference.flat(b), new Shape(4, 3));
            NDArray scale = m.create(new float[] {10f});
            float raw = MultiPositiveContrastiveLoss.builder().optNormalizeFeatures(false).build().evaluate(
                    new NDList(m.create(new float[] {0, 2, 2, 1})),
                    new NDList(img.normalize(2, 1), txt.normalize(2, 1), scale)).getFloat();
            assertEquals(expected, raw, 1e-5);
            float unnormalised = MultiPositiveContrastiveLoss.builder().optNormalizeFeatures(false).build()
                    .evaluate(new NDList(m.create(y)), new NDList(img, txt, scale)).getFloat();
            assertTrue(Math.abs(unnormalised - expected) > 1e-3, "without normalisation the raw dot products count");
        }
    }

    @Test
    void directionalLossesAverageToTheLoss() {
        Random rnd = new Random(3);
        int[] y = {1, 1, 2, 0};
        double[][] a = Reference.asFloat(Reference.randomMatrix(rnd, 4, 3));
        double[][] b = Reference.asFloat(Reference.randomMatrix(rnd, 4, 3));
        Reference.ContrastiveResult r = Reference.contrastive(a, b, Math.log(5), y, 0.1);
        double[][] t = Reference.sameLabelTargets(y);
        double i2t = Reference.smoothedSoftCe(r.logitsPerImage, t, 0.1);
        double t2i = Reference.smoothedSoftCe(Reference.transpose(r.logitsPerImage), t, 0.1);
        MultiPositiveContrastiveLoss loss = MultiPositiveContrastiveLoss.builder().build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDList both = loss.directionalLosses(m.create(y), new NDList(
                    m.create(Reference.flat(a), new Shape(4, 3)),
                    m.create(Reference.flat(b), new Shape(4, 3)),
                    m.create(new float[] {5f})));
            assertEquals(i2t, both.get(0).getFloat(), 1e-5);
            assertEquals(t2i, both.get(1).getFloat(), 1e-5);
            assertEquals((i2t + t2i) / 2, r.loss, 1e-12);
        }
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        MultiPositiveContrastiveLoss loss = MultiPositiveContrastiveLoss.builder().build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(3, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> loss.evaluate(new NDList(m.create(new int[] {0, 1})),
                            new NDList(x, x, m.create(new float[] {1f}))));
            assertEquals(true, e.getMessage().contains("labels have 2 entries"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> loss.evaluate(new NDList(m.create(new int[] {0, 1, 2})),
                            new NDList(x, m.ones(new Shape(3, 4)), m.create(new float[] {1f}))));
            assertThrows(IllegalArgumentException.class,
                    () -> MultiPositiveContrastiveLoss.builder().optLabelSmoothing(1.0));
        }
    }

    static void assertClose(double[][] expected, float[] actual, double tol, String what) {
        int cols = expected[0].length;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < cols; j++) {
                assertEquals(expected[i][j], actual[i * cols + j], tol, what + " [" + i + "," + j + "]");
            }
        }
    }

    static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }
}
