package dev.vlltr.core.loss;

import static dev.vlltr.core.loss.MultiPositiveContrastiveLossTest.assertClose;
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

class SoftTargetDistillationLossTest {

    @Test
    void uniformStudentCostsLogBWhateverTheTeacher() {
        // student logits all equal ⇒ log p = −ln B in every row and column, Σ q = 1 ⇒ L_dis = ln B.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray student = m.zeros(new Shape(3, 3));
            NDArray teacher = m.create(new float[] {5, 0, 1, 2, 2, -3, 0, 9, 1}, new Shape(3, 3));
            assertEquals(Math.log(3), SoftTargetDistillationLoss.compute(student, teacher).getFloat(), 1e-6);
        }
    }

    @Test
    void handWorkedTwoByTwo() {
        // Student Z = [[1,0],[0,1]], teacher Z_t = [[0,0],[0,0]] ⇒ q = ½ everywhere; each row of Z and Zᵀ gives
        // −½(log σ + log(1−σ)) with σ = e/(1+e): ½(log(1+e^-1) + log(1+e)).
        double expected = (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.E)) / 2;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray student = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            float got = new SoftTargetDistillationLoss()
                    .evaluate(new NDList(), new NDList(student, m.zeros(new Shape(2, 2)))).getFloat();
            assertEquals(expected, got, 1e-6);
        }
    }

    @Test
    void lossAndGradientMatchDoubleRecomputationAndTeacherGetsNoGradient() {
        Random rnd = new Random(11);
        int n = 5;
        double[][] zs = Reference.asFloat(scaled(Reference.randomMatrix(rnd, n, n), 4));
        double[][] zt = Reference.asFloat(scaled(Reference.randomMatrix(rnd, n, n), 10));
        double expected = Reference.distillation(zs, zt);
        double[][] grad = Reference.distillationGrad(zs, zt);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray s = m.create(Reference.flat(zs), new Shape(n, n));
            NDArray t = m.create(Reference.flat(zt), new Shape(n, n));
            s.setRequiresGradient(true);
            t.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray l = SoftTargetDistillationLoss.compute(s, t);
                assertEquals(expected, l.getFloat(), 1e-5);
                gc.backward(l);
            }
            assertClose(grad, s.getGradient().toFloatArray(), 1e-6, "dL_dis/dZ_s");
            assertEquals(0f, t.getGradient().abs().sum().getFloat(), 0f, "teacher must not receive gradient");
        }
    }

    @Test
    void cvlpLossMixesWithLambdaAndBackpropagatesToFeatures() {
        Random rnd = new Random(5);
        int[] y = {2, 0, 2, 1, 0, 2};
        int n = y.length;
        int d = 4;
        double[][] a = Reference.asFloat(Reference.randomMatrix(rnd, n, d));
        double[][] b = Reference.asFloat(Reference.randomMatrix(rnd, n, d));
        double[][] zt = Reference.asFloat(scaled(Reference.randomMatrix(rnd, n, n), 20));
        double theta = (float) Math.log(1 / 0.07);
        double lambda = 0.3; // asymmetric, so swapping the weights of L_ccl and L_dis fails the test
        Reference.ContrastiveResult ccl = Reference.contrastive(a, b, theta, y, 0.1);
        double dis = Reference.distillation(ccl.logitsPerImage, zt);
        double[][] gDis = Reference.distillationGrad(ccl.logitsPerImage, zt);
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i][j] = (1 - lambda) * ccl.gradLogits[i][j] + lambda * gDis[i][j];
            }
        }
        Reference.ContrastiveResult total = new Reference.ContrastiveResult();
        Reference.backprop(a, b, theta, g, total);

        assertEquals(0.5, CvlpLoss.builder().optTeacher(true).build().getEffectiveLambda(), "official β = 0.5");
        // official PretrainSentLoss: loss = (1 - β)·L_ccl + β·L_dis
        CvlpLoss loss = CvlpLoss.builder().optTeacher(true).optLambda(lambda).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray img = m.create(Reference.flat(a), new Shape(n, d));
            NDArray txt = m.create(Reference.flat(b), new Shape(n, d));
            NDArray th = m.create(new float[] {(float) theta});
            img.setRequiresGradient(true);
            txt.setRequiresGradient(true);
            th.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList parts = loss.components(new NDList(m.create(y)),
                        new NDList(img, txt, th.exp(), m.create(Reference.flat(zt), new Shape(n, n))));
                assertEquals(ccl.loss, parts.get(1).getFloat(), 1e-5);
                assertEquals(dis, parts.get(2).getFloat(), 1e-5);
                assertEquals((1 - lambda) * ccl.loss + lambda * dis, parts.get(0).getFloat(), 1e-5);
                gc.backward(parts.get(0));
            }
            assertClose(total.gradImage, img.getGradient().toFloatArray(), 2e-5, "dL/dimage");
            assertClose(total.gradText, txt.getGradient().toFloatArray(), 2e-5, "dL/dtext");
            assertEquals(total.gradTheta, th.getGradient().getFloat(0), 2e-5, "dL/dθ");
        }
    }

    @Test
    void withoutTeacherLambdaIsZeroAndLossIsContrastive() {
        CvlpLoss loss = CvlpLoss.builder().optLambda(0.3).build();
        assertEquals(0.0, loss.getEffectiveLambda());
        assertTrue(!loss.hasTeacher());
        Random rnd = new Random(9);
        int[] y = {0, 1, 1};
        double[][] a = Reference.asFloat(Reference.randomMatrix(rnd, 3, 2));
        double[][] b = Reference.asFloat(Reference.randomMatrix(rnd, 3, 2));
        try (NDManager m = NDManager.newBaseManager()) {
            float got = loss.evaluate(new NDList(m.create(y)), new NDList(
                    m.create(Reference.flat(a), new Shape(3, 2)),
                    m.create(Reference.flat(b), new Shape(3, 2)),
                    m.create(new float[] {2f}))).getFloat();
            assertEquals(Reference.contrastive(a, b, Math.log(2), y, 0.1).loss, got, 1e-5);
        }
        assertThrows(IllegalArgumentException.class, () -> CvlpLoss.builder().optLambda(1.5));
        CvlpLoss withTeacher = CvlpLoss.builder().optTeacher(true).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.ones(new Shape(2, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> withTeacher.evaluate(new NDList(m.create(new int[] {0, 1})),
                            new NDList(x, x, m.create(new float[] {1f}))));
            assertTrue(e.getMessage().contains("teacher logits"), e.getMessage());
        }
    }

    private static double[][] scaled(double[][] m, double f) {
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= f;
            }
        }
        return m;
    }
}
