package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.vlltr.core.loss.MultiPositiveContrastiveLoss;
import dev.vlltr.core.loss.Reference;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Data-parallel CVLP forward: a batch split into k shards (simulated devices, the same code path as k GPUs) gives the
 * loss and the gradients of the unsplit batch, the contrastive logits being over the global batch (positives across
 * shards). Expected values: {@link Reference#contrastive} (hand-derived, in double) on the whole batch.
 */
class ShardedForwardTest {

    private static final int N = 7; // uneven shards for k = 2 and 3
    private static final int DIN = 5;
    private static final int DT = 4;
    private static final int E = 3;
    private static final int[] Y = {0, 1, 0, 2, 1, 0, 2}; // positives of a sample sit in other shards

    @Test
    void shardedLossAndGradientsEqualTheUnsplitBatch() {
        Random rnd = new Random(11);
        double[][] x = Reference.asFloat(Reference.randomMatrix(rnd, N, DIN));
        double[][] t = Reference.asFloat(Reference.randomMatrix(rnd, N, DT));
        double[][] wi = Reference.asFloat(Reference.randomMatrix(rnd, E, DIN));
        double[][] wt = Reference.asFloat(Reference.randomMatrix(rnd, E, DT));
        double theta = (float) Math.log(1 / 0.07);
        // independent expectation on the whole batch: features a = X W_i^T, b = T W_t^T; dW = (dL/da)^T X
        Reference.ContrastiveResult ref = Reference.contrastive(matmul(x, Reference.transpose(wi)),
                matmul(t, Reference.transpose(wt)), theta, Y, 0.1);
        double[][] gradWi = matmul(Reference.transpose(ref.gradImage), x);
        double[][] gradWt = matmul(Reference.transpose(ref.gradText), t);

        for (int k = 1; k <= 3; k++) {
            try (NDManager m = NDManager.newBaseManager()) {
                Linear img = linear(m, DIN, wi);
                Linear txt = linear(m, DT, wt);
                NDArray th = m.create(new float[] {(float) theta});
                th.setRequiresGradient(true);
                ParameterStore ps = new ParameterStore(m, false);
                ShardedForward sharded = new ShardedForward(TrainingDevices.simulated(k), j -> j < 2);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList out = sharded.apply(new NDList(m.create(Reference.flat(x), new Shape(N, DIN)),
                            m.create(Reference.flat(t), new Shape(N, DT))), shard -> new NDList(
                                    img.forward(ps, new NDList(shard.get(0)), true).singletonOrThrow(),
                                    txt.forward(ps, new NDList(shard.get(1)), true).singletonOrThrow(),
                                    th.exp()));
                    assertEquals(new Shape(N, E), out.get(0).getShape(), "gathered image features, k=" + k);
                    NDArray loss = MultiPositiveContrastiveLoss.builder().build()
                            .evaluate(new NDList(m.create(Y)), out);
                    assertEquals(ref.loss, loss.getFloat(), 1e-5, "global-batch loss, k=" + k);
                    gc.backward(loss);
                }
                assertClose(gradWi, img.getParameters().get("weight").getArray().getGradient().toFloatArray(), 2e-5,
                        "dL/dW_image, k=" + k);
                assertClose(gradWt, txt.getParameters().get("weight").getArray().getGradient().toFloatArray(), 2e-5,
                        "dL/dW_text, k=" + k);
                assertEquals(ref.gradTheta, th.getGradient().getFloat(0), 2e-5, "dL/dθ, k=" + k);
            }
        }
    }

    @Test
    void shardLocalLogitsWouldGiveAnotherLoss() {
        // what the test guards against: per-shard contrastive losses (no gather) differ from the global one
        Random rnd = new Random(11);
        double[][] a = Reference.asFloat(Reference.randomMatrix(rnd, N, E));
        double[][] b = Reference.asFloat(Reference.randomMatrix(rnd, N, E));
        double global = Reference.contrastive(a, b, 2.0, Y, 0.1).loss;
        double local = (Reference.contrastive(rows(a, 0, 4), rows(b, 0, 4), 2.0, new int[] {0, 1, 0, 2}, 0.1).loss
                + Reference.contrastive(rows(a, 4, 7), rows(b, 4, 7), 2.0, new int[] {1, 0, 2}, 0.1).loss) / 2;
        assertTrue(Math.abs(global - local) > 1e-2, global + " vs " + local);
    }

    @Test
    void aBatchSmallerThanTheShardCountIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            ShardedForward sharded = new ShardedForward(TrainingDevices.simulated(3), j -> true);
            assertThrows(IllegalArgumentException.class,
                    () -> sharded.apply(new NDList(m.zeros(new Shape(2, 1))), l -> l));
        }
    }

    private static Linear linear(NDManager m, int in, double[][] w) {
        Linear l = Linear.builder().setUnits(E).optBias(false).build();
        l.initialize(m, DataType.FLOAT32, new Shape(1, in));
        l.getParameters().get("weight").getArray().set(Reference.flat(w));
        return l;
    }

    private static double[][] matmul(double[][] p, double[][] q) {
        double[][] r = new double[p.length][q[0].length];
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < q[0].length; j++) {
                for (int l = 0; l < q.length; l++) {
                    r[i][j] += p[i][l] * q[l][j];
                }
            }
        }
        return r;
    }

    private static void assertClose(double[][] expected, float[] actual, double tol, String what) {
        int cols = expected[0].length;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < cols; j++) {
                assertEquals(expected[i][j], actual[i * cols + j], tol, what + " [" + i + "," + j + "]");
            }
        }
    }

    private static double[][] rows(double[][] p, int from, int to) {
        return java.util.Arrays.copyOfRange(p, from, to);
    }
}
