package dev.vlltr.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LgrHeadTest {

    private static final int C = 3;
    private static final int M = 4;
    private static final int D = 5;
    private static final int B = 2;
    private static final int[] COUNTS = {4, 2, 1};
    private static final double THETA = Math.log(1 / 0.07);

    /** Memory with real sentences ~N(0,1) and padded slots set to {@code pad}. */
    private static float[] memory(Random rnd, float pad) {
        float[] t = new float[C * M * D];
        for (int c = 0; c < C; c++) {
            for (int m = 0; m < M; m++) {
                for (int d = 0; d < D; d++) {
                    t[(c * M + m) * D + d] = m < COUNTS[c] ? (float) rnd.nextGaussian() : pad;
                }
            }
        }
        return t;
    }

    private static LgrHead head(float[] memory, boolean freeze) {
        return LgrHead.builder().setTextMemory(memory, C, M, D).setSentenceCounts(COUNTS).setLogitScale(THETA)
                .optFreezeAttention(freeze).build();
    }

    private static float[] randomFloats(Random rnd, int n, double scale, double offset) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (offset + scale * rnd.nextGaussian());
        }
        return x;
    }

    @Test
    void forwardMatchesPlainJavaRecomputation() {
        Random rnd = new Random(1);
        float[] t = memory(rnd, 0f);
        float[] f = randomFloats(rnd, B * D, 1, 0);
        // non-trivial attention parameters so that the test covers LN affine + projections, not just identity
        float[] wq = randomFloats(rnd, D * D, 0.5, 0);
        float[] wk = randomFloats(rnd, D * D, 0.5, 0);
        float[] gq = randomFloats(rnd, D, 0.2, 1);
        float[] bq = randomFloats(rnd, D, 0.2, 0);
        float[] gk = randomFloats(rnd, D, 0.2, 1);
        float[] bk = randomFloats(rnd, D, 0.2, 0);
        Engine.getInstance().setRandomSeed(3);
        LgrHead head = head(t, false);
        try (NDManager m = NDManager.newBaseManager()) {
            head.initialize(m, DataType.FLOAT32, new Shape(B, D));
            set(head, "w_q", wq);
            set(head, "w_k", wk);
            set(head, "norm_q_gamma", gq);
            set(head, "norm_q_beta", bq);
            set(head, "norm_k_gamma", gk);
            set(head, "norm_k_beta", bk);
            ParameterStore ps = new ParameterStore(m, false);
            NDList out = head.forward(ps, new NDList(m.create(f, new Shape(B, D))), false);
            assertEquals(new Shape(B, C), out.get(0).getShape());
            assertEquals(new Shape(B, C), out.get(1).getShape());

            float[][] mlp = new float[4][];
            int i = 0;
            for (var p : head.getChildren().get(0).getValue().getParameters().values()) {
                mlp[i++] = p.getArray().toFloatArray(); // w1 (4D, D), b1 (4D), w2 (C, 4D), b2 (C)
            }
            double[][] ref = LgrReference.forward(f, t, COUNTS, wq, wk, gq, bq, gk, bk, mlp, THETA, B, C, M, D);
            float[] pi = out.get(0).toFloatArray();
            float[] pt = out.get(1).toFloatArray();
            for (int k = 0; k < B * C; k++) {
                assertEquals(ref[0][k], pi[k], 1e-5, "P^I " + k);
                assertEquals(ref[1][k], pt[k], 1e-4, "P^T " + k);
            }
            // P^T is a scaled cosine: |P^T| ≤ exp(θ)
            for (float v : pt) {
                assertTrue(Math.abs(v) <= Math.exp(THETA) + 1e-3);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesOfTheDoubleRecomputation() {
        // objective J = Σ r1·P^I + Σ r2·P^T with fixed random weights r; d J / d(f, W_q, W_k, fc1) from DJL autograd
        Random rnd = new Random(6);
        float[] t = memory(rnd, 0f);
        float[] f = randomFloats(rnd, B * D, 1, 0);
        float[] wq = randomFloats(rnd, D * D, 0.5, 0);
        float[] r1 = randomFloats(rnd, B * C, 1, 0);
        float[] r2 = randomFloats(rnd, B * C, 0.1, 0);
        Engine.getInstance().setRandomSeed(9);
        LgrHead head = head(t, false);
        try (NDManager m = NDManager.newBaseManager()) {
            head.initialize(m, DataType.FLOAT32, new Shape(B, D));
            set(head, "w_q", wq);
            float[][] mlp = new float[4][];
            int i = 0;
            for (var p : head.getChildren().get(0).getValue().getParameters().values()) {
                mlp[i++] = p.getArray().toFloatArray();
            }
            float[] ones = new float[D];
            java.util.Arrays.fill(ones, 1f);
            float[] zeros = new float[D];
            float[] eye = new float[D * D];
            for (int k = 0; k < D; k++) {
                eye[k * D + k] = 1f;
            }
            NDArray x = m.create(f, new Shape(B, D));
            x.setRequiresGradient(true);
            ParameterStore ps = new ParameterStore(m, false);
            try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList out = head.forward(ps, new NDList(x), true);
                NDArray j = out.get(0).mul(m.create(r1, new Shape(B, C))).sum()
                        .add(out.get(1).mul(m.create(r2, new Shape(B, C))).sum());
                gc.backward(j);
            }
            float[] gradF = x.getGradient().toFloatArray();
            float[] gradWq = head.getDirectParameters().get("w_q").getArray().getGradient().toFloatArray();
            float[] gradWk = head.getDirectParameters().get("w_k").getArray().getGradient().toFloatArray();
            float[] gradFc1 = head.getChildren().get(0).getValue().getParameters().get(0).getValue().getArray()
                    .getGradient().toFloatArray();
            double[][] base = {LgrReference.d(f), LgrReference.d(wq), LgrReference.d(eye), LgrReference.d(mlp[0])};
            float[][] grads = {gradF, gradWq, gradWk, gradFc1};
            String[] names = {"f", "W_q", "W_k", "fc1"};
            double h = 1e-6;
            for (int which = 0; which < 4; which++) {
                for (int k = 0; k < base[which].length; k += which == 3 ? 7 : 1) {
                    double[][] plus = copy(base);
                    double[][] minus = copy(base);
                    plus[which][k] += h;
                    minus[which][k] -= h;
                    double fd = (objective(plus, t, ones, zeros, mlp, r1, r2)
                            - objective(minus, t, ones, zeros, mlp, r1, r2)) / (2 * h);
                    assertEquals(fd, grads[which][k], 2e-3 * Math.max(1, Math.abs(fd)), names[which] + "[" + k + "]");
                }
            }
            assertFalse(head.getDirectParameters().get("text_memory").getArray().hasGradient(),
                    "the frozen text memory must not get a gradient");
        }
    }

    private static double objective(double[][] v, float[] t, float[] ones, float[] zeros, float[][] mlp, float[] r1,
            float[] r2) {
        double[][] out = LgrReference.forward(v[0], LgrReference.d(t), COUNTS, v[1], v[2], LgrReference.d(ones),
                LgrReference.d(zeros), LgrReference.d(ones), LgrReference.d(zeros),
                new double[][] {v[3], LgrReference.d(mlp[1]), LgrReference.d(mlp[2]), LgrReference.d(mlp[3])},
                THETA, B, C, M, D);
        double j = 0;
        for (int k = 0; k < B * C; k++) {
            j += r1[k] * out[0][k] + r2[k] * out[1][k];
        }
        return j;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    @Test
    void paddedSentencesGetZeroAttentionAndDoNotChangeTheOutput() {
        Random rnd = new Random(2);
        float[] t1 = memory(new Random(5), 0f);
        float[] t2 = memory(new Random(5), 1000f); // same real sentences, huge padding that would dominate
        float[] f = randomFloats(rnd, B * D, 1, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] outs = new float[2][];
            for (int run = 0; run < 2; run++) {
                Engine.getInstance().setRandomSeed(4);
                LgrHead head = head(run == 0 ? t1 : t2, false);
                head.initialize(m, DataType.FLOAT32, new Shape(B, D));
                ParameterStore ps = new ParameterStore(m, false);
                NDArray x = m.create(f, new Shape(B, D));
                float[] a = head.attentionWeights(ps, x).toFloatArray();
                for (int b = 0; b < B; b++) {
                    for (int c = 0; c < C; c++) {
                        double sum = 0;
                        for (int s = 0; s < M; s++) {
                            float w = a[(b * C + c) * M + s];
                            if (s >= COUNTS[c]) {
                                assertEquals(0f, w, 0f, "padding slot " + s + " of class " + c);
                            } else {
                                assertTrue(w > 0);
                            }
                            sum += w;
                        }
                        assertEquals(1, sum, 1e-6);
                    }
                }
                // class 2 has one sentence: all its weight on it
                assertEquals(1f, a[2 * M], 1e-6f);
                outs[run] = head.forward(ps, new NDList(x), false).get(1).toFloatArray();
            }
            for (int k = 0; k < outs[0].length; k++) {
                assertEquals(outs[0][k], outs[1][k], 1e-5, "P^T must not depend on padded slots");
            }
        }
    }

    @Test
    void initialisationAndFreezingFollowTheOfficialCode() {
        Engine.getInstance().setRandomSeed(7);
        int dim = 32;
        int classes = 10;
        LgrHead head = LgrHead.builder().setTextMemory(new float[classes * 2 * dim], classes, 2, dim)
                .setSentenceCounts(new int[] {1, 2, 1, 2, 1, 2, 1, 2, 1, 2}).setLogitScale(THETA)
                .optFreezeAttention(true).build();
        try (NDManager m = NDManager.newBaseManager()) {
            head.initialize(m, DataType.FLOAT32, new Shape(1, dim));
            var direct = head.getDirectParameters();
            NDArray eye = m.eye(dim);
            assertEquals(0f, direct.get("w_q").getArray().sub(eye).abs().max().getFloat(), 0f);
            assertEquals(0f, direct.get("w_k").getArray().sub(eye).abs().max().getFloat(), 0f);
            assertEquals((float) dim, direct.get("norm_q_gamma").getArray().sum().getFloat(), 0f);
            assertEquals(0f, direct.get("norm_k_beta").getArray().abs().sum().getFloat(), 0f);
            for (String name : new String[] {"w_q", "w_k", "norm_q_gamma", "norm_k_beta", "text_memory",
                    "sentence_mask", "logit_scale"}) {
                assertFalse(direct.get(name).requiresGradient(), name + " must be frozen");
            }
            int weights = 0;
            for (var p : head.getChildren().get(0).getValue().getParameters()) {
                NDArray a = p.getValue().getArray();
                if (p.getValue().getType() == Parameter.Type.BIAS) {
                    assertEquals(0f, a.abs().sum().getFloat(), 0f, p.getKey());
                } else {
                    weights++;
                    float std = a.sub(a.mean()).square().mean().sqrt().getFloat();
                    assertEquals(0.02, std, 0.002, "trunc-normal(0.02) " + p.getKey());
                    assertTrue(p.getValue().requiresGradient(), "the MLP is trained");
                }
            }
            assertEquals(2, weights);
        }
        LgrHead trainable = head(memory(new Random(1), 0), false);
        try (NDManager m = NDManager.newBaseManager()) {
            trainable.initialize(m, DataType.FLOAT32, new Shape(1, D));
            assertTrue(trainable.getDirectParameters().get("w_q").requiresGradient());
            assertFalse(trainable.getDirectParameters().get("text_memory").requiresGradient());
        }
    }

    @Test
    void detachedValueNormKeepsTheForwardButChangesTheGradient() {
        Random rnd = new Random(10);
        float[] t = memory(rnd, 0f);
        float[] f = randomFloats(rnd, B * D, 1, 0);
        float[][] outs = new float[2][];
        float[][] grads = new float[2][];
        try (NDManager m = NDManager.newBaseManager()) {
            for (int run = 0; run < 2; run++) {
                Engine.getInstance().setRandomSeed(5);
                LgrHead head = LgrHead.builder().setTextMemory(t, C, M, D).setSentenceCounts(COUNTS)
                        .setLogitScale(THETA).optDetachValueNorm(run == 1).build();
                head.initialize(m, DataType.FLOAT32, new Shape(B, D));
                NDArray x = m.create(f, new Shape(B, D));
                x.setRequiresGradient(true);
                try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray pT = head.forward(new ParameterStore(m, false), new NDList(x), true).get(1);
                    outs[run] = pT.toFloatArray();
                    gc.backward(pT.sum());
                }
                grads[run] = x.getGradient().toFloatArray();
            }
        }
        double gradDiff = 0;
        for (int k = 0; k < outs[0].length; k++) {
            assertEquals(outs[0][k], outs[1][k], 1e-4);
        }
        for (int k = 0; k < grads[0].length; k++) {
            gradDiff += Math.abs(grads[0][k] - grads[1][k]);
        }
        assertTrue(gradDiff > 1e-3, "v / ‖v‖.detach() must change the gradient");
    }

    @Test
    void savedParametersCarryTheTextMemory() throws Exception {
        Random rnd = new Random(8);
        float[] t = memory(rnd, 0f);
        float[] f = randomFloats(rnd, B * D, 1, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            LgrHead head = head(t, false);
            head.initialize(m, DataType.FLOAT32, new Shape(B, D));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            head.saveParameters(new DataOutputStream(bytes));
            LgrHead other = head(new float[C * M * D], false);
            other.initialize(m, DataType.FLOAT32, new Shape(B, D));
            other.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            NDArray x = m.create(f, new Shape(B, D));
            ParameterStore ps = new ParameterStore(m, false);
            NDList a = head.forward(ps, new NDList(x), false);
            NDList b = other.forward(ps, new NDList(x), false);
            assertEquals(0f, a.get(0).sub(b.get(0)).abs().max().getFloat(), 0f);
            assertEquals(0f, a.get(1).sub(b.get(1)).abs().max().getFloat(), 0f);
        }
    }

    @Test
    void badConfigurationIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> LgrHead.builder().setTextMemory(new float[7], C, M, D));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LgrHead.builder().setTextMemory(new float[C * M * D], C, M, D)
                        .setSentenceCounts(4, 0, 1).setLogitScale(1).build());
        assertTrue(e.getMessage().contains("class 1 has 0 sentences"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> LgrHead.builder().setTextMemory(new float[C * M * D], C, M, D).setSentenceCounts(COUNTS)
                        .build());
    }

    private static void set(LgrHead head, String name, float[] values) {
        NDArray a = head.getDirectParameters().get(name).getArray();
        a.set(values);
    }
}
