package dev.vlltr.core.loss;

import static dev.vlltr.core.loss.MultiPositiveContrastiveLossTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TwoBranchCrossEntropyLossTest {

    @Test
    void handWorkedUniformLogits() {
        // Uniform logits ⇒ every term is ln C, with or without smoothing: L = 2 ln C.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.zeros(new Shape(2, 4));
            float got = new TwoBranchCrossEntropyLoss()
                    .evaluate(new NDList(m.create(new int[] {0, 3})), new NDList(z, z)).getFloat();
            assertEquals(2 * Math.log(4), got, 1e-6);
        }
    }

    /** With the smoothing weights made once (a trainer's ScalarConstants): the same losses and gradients, bit for bit. */
    @Test
    void cachedSmoothingWeightsGiveBitIdenticalLossesAndGradients() {
        Random rnd = new Random(9);
        float[] a = new float[6 * 5];
        float[] b = new float[6 * 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian() * 3;
            b[i] = (float) rnd.nextGaussian() * 3;
        }
        TwoBranchCrossEntropyLoss loss = new TwoBranchCrossEntropyLoss(0.1);
        float[][] got = new float[2][];
        for (int run = 0; run < 2; run++) {
            try (NDManager m = NDManager.newBaseManager();
                    dev.vlltr.core.nd.ScalarConstants k = new dev.vlltr.core.nd.ScalarConstants(m)) {
                NDArray pI = m.create(a, new Shape(6, 5));
                NDArray pT = m.create(b, new Shape(6, 5));
                pI.setRequiresGradient(true);
                pT.setRequiresGradient(true);
                NDArray y = m.create(new int[] {0, 1, 2, 3, 4, 0});
                NDList parts;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    parts = loss.branchLosses(y, new NDList(pI, pT), run == 0 ? null : k);
                    gc.backward(parts.get(0).add(parts.get(1)));
                }
                float[] g1 = pI.getGradient().toFloatArray();
                float[] g2 = pT.getGradient().toFloatArray();
                float[] all = new float[2 + g1.length + g2.length];
                all[0] = parts.get(0).getFloat();
                all[1] = parts.get(1).getFloat();
                System.arraycopy(g1, 0, all, 2, g1.length);
                System.arraycopy(g2, 0, all, 2 + g1.length, g2.length);
                got[run] = all;
            }
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(got[0], got[1]);
    }

    @Test
    void defaultIsTheOfficialPlainCrossEntropyOnBothBranches() throws IOException {
        // PyTorch's torch.nn.CrossEntropyLoss() on both branches, loss0 + loss1 (two_branch_ce_reference.py/.json)
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("two_branch_ce_reference.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        int b = ref.get("batch").asInt();
        int c = ref.get("classes").asInt();
        int[] y = new int[b];
        for (int i = 0; i < b; i++) {
            y[i] = ref.get("labels").get(i).asInt();
        }
        assertEquals(0.0, TwoBranchCrossEntropyLoss.DEFAULT_SMOOTHING, "official loss_type CE: no smoothing");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(closedFormLogits(0.0, b, c), new Shape(b, c));
            NDArray z = m.create(closedFormLogits(2.0, b, c), new Shape(b, c));
            a.setRequiresGradient(true);
            z.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                TwoBranchCrossEntropyLoss loss = new TwoBranchCrossEntropyLoss();
                NDList parts = loss.branchLosses(m.create(y), new NDList(a, z));
                assertEquals(ref.get("loss0").asDouble(), parts.get(0).getFloat(), 1e-5, "CE(P^I)");
                assertEquals(ref.get("loss1").asDouble(), parts.get(1).getFloat(), 1e-5, "CE(P^T)");
                NDArray total = loss.evaluate(new NDList(m.create(y)), new NDList(a, z));
                assertEquals(ref.get("loss").asDouble(), total.getFloat(), 1e-5, "loss0 + loss1");
                gc.backward(total);
            }
            assertClose(doubles(ref.get("grad_image")), a.getGradient().toFloatArray(), 1e-6, "dP^I");
            assertClose(doubles(ref.get("grad_text")), z.getGradient().toFloatArray(), 1e-6, "dP^T");
        }
    }

    /** The logits of two_branch_ce_reference.py: {@code 3 sin(offset + 1.7 i + 0.9 j)}. */
    private static float[] closedFormLogits(double offset, int b, int c) {
        float[] out = new float[b * c];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < c; j++) {
                out[i * c + j] = (float) (3 * Math.sin(offset + 1.7 * i + 0.9 * j));
            }
        }
        return out;
    }

    private static double[][] doubles(JsonNode flat) {
        double[][] out = {new double[flat.size()]};
        for (int i = 0; i < flat.size(); i++) {
            out[0][i] = flat.get(i).asDouble();
        }
        return out;
    }

    @Test
    void handWorkedSmoothedCe() {
        // the named deviation: logits (ln 3, 0), label 0: p = (¾, ¼); (1-ε)(−ln ¾) + ε(−(ln ¾ + ln ¼)/2), ε = 0.1.
        double expected = 0.9 * -Math.log(0.75) + 0.1 * -(Math.log(0.75) + Math.log(0.25)) / 2;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {(float) Math.log(3), 0}, new Shape(1, 2));
            NDList parts = new TwoBranchCrossEntropyLoss(0.1)
                    .branchLosses(m.create(new int[] {0}), new NDList(z, m.zeros(new Shape(1, 2))));
            assertEquals(expected, parts.get(0).getFloat(), 1e-6);
            assertEquals(Math.log(2), parts.get(1).getFloat(), 1e-6);
        }
    }

    @Test
    void lossAndGradientsMatchDoubleRecomputation() {
        Random rnd = new Random(21);
        int b = 5;
        int c = 4;
        int[] y = {0, 3, 1, 1, 2};
        double[][] pi = Reference.asFloat(Reference.randomMatrix(rnd, b, c));
        double[][] pt = Reference.asFloat(Reference.randomMatrix(rnd, b, c));
        double[][] oneHot = new double[b][c];
        for (int i = 0; i < b; i++) {
            oneHot[i][y[i]] = 1;
        }
        // soft (mixup-like) targets: rows sum to one
        double[][] soft = new double[b][c];
        for (int i = 0; i < b; i++) {
            soft[i][y[i]] += 0.6;
            soft[i][(y[i] + 1) % c] += 0.3;
            for (int j = 0; j < c; j++) {
                soft[i][j] += 0.1 / c;
            }
        }
        soft = Reference.asFloat(soft);
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean sparse : new boolean[] {true, false}) {
                double[][] t = sparse ? oneHot : soft;
                double eps = sparse ? 0.1 : 0;
                NDArray labels = sparse ? m.create(y) : m.create(Reference.flat(soft), new Shape(b, c));
                NDArray a = m.create(Reference.flat(pi), new Shape(b, c));
                NDArray z = m.create(Reference.flat(pt), new Shape(b, c));
                a.setRequiresGradient(true);
                z.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = new TwoBranchCrossEntropyLoss(0.1).evaluate(new NDList(labels), new NDList(a, z));
                    double expected = Reference.smoothedSoftCe(pi, t, eps) + Reference.smoothedSoftCe(pt, t, eps);
                    assertEquals(expected, l.getFloat(), 1e-5, "sparse=" + sparse);
                    gc.backward(l);
                }
                assertClose(Reference.smoothedSoftCeGrad(pi, t, eps), a.getGradient().toFloatArray(), 1e-6, "dP^I");
                assertClose(Reference.smoothedSoftCeGrad(pt, t, eps), z.getGradient().toFloatArray(), 1e-6, "dP^T");
            }
        }
    }

    @Test
    void rejectsMismatchedLabels() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.zeros(new Shape(2, 3));
            assertThrows(IllegalArgumentException.class, () -> new TwoBranchCrossEntropyLoss()
                    .evaluate(new NDList(m.zeros(new Shape(2, 4))), new NDList(z, z)));
            assertThrows(IllegalArgumentException.class, () -> new TwoBranchCrossEntropyLoss()
                    .evaluate(new NDList(m.create(new int[] {1})), new NDList(z, z)));
        }
    }
}
