package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DecoupledAdamWTest {

    /** torch.optim.AdamW in plain double precision, as an independent reference. */
    static final class ReferenceAdamW {
        final double lr;
        final double b1 = 0.9;
        final double b2 = 0.999;
        final double eps = 1e-8;
        final double wd;
        double[] m;
        double[] v;
        int t;

        ReferenceAdamW(double lr, double wd, int n) {
            this.lr = lr;
            this.wd = wd;
            m = new double[n];
            v = new double[n];
        }

        /** The same state with another learning rate (a schedule's next value). */
        ReferenceAdamW withLr(double newLr) {
            ReferenceAdamW r = new ReferenceAdamW(newLr, wd, m.length);
            r.m = m;
            r.v = v;
            r.t = t;
            return r;
        }

        void step(double[] w, double[] g) {
            t++;
            for (int i = 0; i < w.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                w[i] *= 1 - lr * wd;
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                w[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / denom;
            }
        }
    }

    /**
     * The op chain with its scalar operands made once (ScalarConstants) computes exactly what the chain with DJL's
     * {@code Number} operands computed before, bit for bit: two groups, decayed and undecayed parameters, a learning
     * rate that changes between steps.
     */
    @Test
    void theOpChainIsBitIdenticalToTheNumberFormOfTheSameChain() {
        double[] lrNow = {0.02};
        DecoupledAdamW opt = DecoupledAdamW.builder().setLearningRate(() -> lrNow[0]).optWeightDecay(0.05)
                .optGroupLearningRate(java.util.List.of("b"), () -> lrNow[0] * 0.1).build();
        Random rnd = new Random(11);
        try (NDManager nd = NDManager.newBaseManager()) {
            Shape[] shapes = {new Shape(5, 3), new Shape(3)};
            String[] ids = {"w", "b"};
            double[] lrScale = {1, 0.1};
            double[] wds = {0.05, 0};
            NDArray[] w = new NDArray[2];
            NDArray[] ref = new NDArray[2];
            NDArray[] m = new NDArray[2];
            NDArray[] v = new NDArray[2];
            for (int i = 0; i < 2; i++) {
                float[] init = toFloat(randomGrad(rnd, (int) shapes[i].size()));
                w[i] = nd.create(init, shapes[i]);
                ref[i] = nd.create(init, shapes[i]);
                m[i] = nd.zeros(shapes[i]);
                v[i] = nd.zeros(shapes[i]);
            }
            for (int t = 1; t <= 12; t++) {
                lrNow[0] = 0.02 * (1 + Math.cos(Math.PI * t / 12)) / 2;
                for (int i = 0; i < 2; i++) {
                    NDArray g = nd.create(toFloat(randomGrad(rnd, (int) shapes[i].size())), shapes[i]);
                    opt.update(ids[i], w[i], g);
                    // the chain as it was written with Number operands
                    double lr = lrNow[0] * lrScale[i];
                    double bc1 = 1 - Math.pow(0.9, t);
                    double bc2 = 1 - Math.pow(0.999, t);
                    m[i].muli(0.9).addi(g.mul(1 - 0.9));
                    v[i].muli(0.999).addi(g.mul(g).muli(1 - 0.999));
                    if (wds[i] != 0) {
                        ref[i].muli(1 - lr * wds[i]);
                    }
                    NDArray denom = v[i].sqrt().divi(Math.sqrt(bc2)).addi(1e-8);
                    ref[i].subi(m[i].div(denom).muli(lr / bc1));
                    assertArrayEquals(ref[i].toFloatArray(), w[i].toFloatArray(), ids[i] + " at step " + t);
                }
            }
        }
    }

    @Test
    void anUpdateLeavesNoArraysBehindInTheParametersManager() {
        DecoupledAdamW opt = DecoupledAdamW.builder().setLearningRate(() -> 0.01).optWeightDecay(0.05)
                .optClipGrad(1f).build();
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray w = nd.randomNormal(new Shape(8, 4));
            NDArray g = nd.randomNormal(new Shape(8, 4));
            opt.update("w", w, g); // creates the two moment arrays
            int after1 = ((ai.djl.ndarray.BaseNDManager) nd).getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                opt.update("w", w, g);
            }
            assertEquals(after1, ((ai.djl.ndarray.BaseNDManager) nd).getManagedArrays().size(),
                    "temporaries of the update must be freed, not left in the parameter's manager");
            assertEquals(21, opt.steps("w"));
            assertTrue(w.getManager() == nd && g.getManager() == nd, "the arrays go back to their manager");
        }
    }

    @Test
    void theFusedUpdateLeavesNoArraysBehindEither() {
        DecoupledAdamW opt = DecoupledAdamW.builder().setLearningRate(() -> 0.01).optWeightDecay(0.05)
                .optFusedUpdate(true).build();
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray w = nd.randomNormal(new Shape(8, 4));
            w.setRequiresGradient(true);
            NDArray g = nd.randomNormal(new Shape(8, 4));
            opt.update("w", w, g);
            int after1 = ((ai.djl.ndarray.BaseNDManager) nd).getManagedArrays().size();
            for (int i = 0; i < 20; i++) {
                opt.update("w", w, g);
            }
            assertEquals(after1, ((ai.djl.ndarray.BaseNDManager) nd).getManagedArrays().size(),
                    "the fused update and the gradient reset must not leave handles in the parameter's manager");
        }
    }

    /**
     * The fused native update and the op chain both follow torch.optim.AdamW (double-precision reference) over 30
     * steps of a decayed 2-D weight, a bias and a tiny-gradient parameter (where ε' carries the bias correction), with
     * a learning rate that changes between steps; and they agree with each other to float rounding.
     */
    @Test
    void fusedAndOpChainUpdatesBothMatchTorchAdamW() {
        double[] lrNow = {0.02};
        DecoupledAdamW fused = DecoupledAdamW.builder().setLearningRate(() -> lrNow[0]).optWeightDecay(0.05)
                .optFusedUpdate(true).build();
        DecoupledAdamW chain = DecoupledAdamW.builder().setLearningRate(() -> lrNow[0]).optWeightDecay(0.05).build();
        Random rnd = new Random(3);
        try (NDManager nd = NDManager.newBaseManager()) {
            double[][] init = {randomGrad(rnd, 12), randomGrad(rnd, 4), randomGrad(rnd, 6)};
            Shape[] shapes = {new Shape(3, 4), new Shape(4), new Shape(2, 3)};
            double[] scale = {1, 1, 1e-7}; // the third parameter's gradients are ~ε: the ε placement matters
            NDArray[] wf = new NDArray[3];
            NDArray[] wc = new NDArray[3];
            double[][] ref = new double[3][];
            ReferenceAdamW[] refs = new ReferenceAdamW[3];
            for (int i = 0; i < 3; i++) {
                wf[i] = nd.create(toFloat(init[i]), shapes[i]);
                wc[i] = nd.create(toFloat(init[i]), shapes[i]);
                ref[i] = roundToFloat(init[i]);
            }
            for (int step = 0; step < 30; step++) {
                lrNow[0] = 0.02 * (1 + Math.cos(Math.PI * step / 30)) / 2;
                for (int i = 0; i < 3; i++) {
                    if (refs[i] == null) {
                        refs[i] = new ReferenceAdamW(lrNow[0], i == 1 ? 0.0 : 0.05, ref[i].length);
                    }
                    double[] g = randomGrad(rnd, ref[i].length);
                    for (int k = 0; k < g.length; k++) {
                        g[k] *= scale[i];
                    }
                    fused.update("p" + i, wf[i], nd.create(toFloat(g), shapes[i]));
                    chain.update("p" + i, wc[i], nd.create(toFloat(g), shapes[i]));
                    refs[i] = refs[i].withLr(lrNow[0]);
                    refs[i].step(ref[i], roundToFloat(g));
                }
            }
            for (int i = 0; i < 3; i++) {
                assertClose(ref[i], wf[i].toFloatArray(), 2e-6);
                assertClose(ref[i], wc[i].toFloatArray(), 2e-6);
                float[] a = wf[i].toFloatArray();
                float[] b = wc[i].toFloatArray();
                for (int k = 0; k < a.length; k++) { // 30 steps of float rounding apart
                    assertEquals(b[k], a[k], 2e-6 * Math.max(1, Math.abs(b[k])), "p" + i + "[" + k + "]");
                }
            }
        }
    }

    /**
     * Both update paths against torch.optim.AdamW itself: 10 steps of PyTorch 2.7.1 with a changing learning rate,
     * a decayed weight, an undecayed bias and an ε-sized-gradient parameter (fixtures/adamw/make_adamw_torch.py).
     */
    @Test
    void bothUpdatePathsReproduceTorchAdamW() throws Exception {
        com.fasterxml.jackson.databind.JsonNode ref;
        try (java.io.InputStream in = getClass().getResourceAsStream("/fixtures/adamw/adamw-torch.json")) {
            ref = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
        String[] names = {"w", "b", "tiny"};
        Shape[] shapes = {new Shape(2, 3), new Shape(3), new Shape(1, 3)};
        for (boolean fused : new boolean[] {false, true}) {
            double[] lrNow = {0};
            DecoupledAdamW opt = DecoupledAdamW.builder().setLearningRate(() -> lrNow[0]).optWeightDecay(0.05)
                    .optFusedUpdate(fused).build();
            try (NDManager nd = NDManager.newBaseManager()) {
                NDArray[] params = new NDArray[3];
                for (int i = 0; i < 3; i++) {
                    params[i] = nd.create(floats(ref.get("init").get(names[i])), shapes[i]);
                }
                for (com.fasterxml.jackson.databind.JsonNode step : ref.get("steps")) {
                    lrNow[0] = step.get("lr").asDouble();
                    for (int i = 0; i < 3; i++) {
                        opt.update(names[i], params[i], nd.create(floats(step.get("grads").get(names[i])), shapes[i]));
                    }
                }
                for (int i = 0; i < 3; i++) {
                    float[] expected = floats(ref.get("final").get(names[i]));
                    float[] actual = params[i].toFloatArray();
                    for (int k = 0; k < expected.length; k++) {
                        assertEquals(expected[k], actual[k], 1e-6, (fused ? "fused " : "op chain ") + names[i] + k);
                    }
                }
            }
        }
    }

    private static float[] floats(com.fasterxml.jackson.databind.JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }

    @Test
    void matchesTorchAdamWAndSkipsDecayFor1dParameters() {
        double lr = 0.01;
        double wd = 0.05;
        DecoupledAdamW opt = DecoupledAdamW.builder().setLearningRate(() -> lr).optWeightDecay(wd).build();
        Random rnd = new Random(5);
        try (NDManager nd = NDManager.newBaseManager()) {
            double[] w2 = {0.5, -1.0, 2.0, 0.25, -0.75, 1.5};       // a 2x3 weight: decayed
            double[] w1 = {0.3, -0.2, 0.1};                           // a bias: not decayed
            NDArray weight = nd.create(toFloat(w2), new Shape(2, 3));
            NDArray bias = nd.create(toFloat(w1), new Shape(3));
            ReferenceAdamW refW = new ReferenceAdamW(lr, wd, 6);
            ReferenceAdamW refB = new ReferenceAdamW(lr, 0.0, 3);
            double[] rw = w2.clone();
            double[] rb = w1.clone();
            for (int step = 0; step < 5; step++) {
                double[] gw = randomGrad(rnd, 6);
                double[] gb = randomGrad(rnd, 3);
                opt.update("w", weight, nd.create(toFloat(gw), new Shape(2, 3)));
                opt.update("b", bias, nd.create(toFloat(gb), new Shape(3)));
                refW.step(rw, roundToFloat(gw));
                refB.step(rb, roundToFloat(gb));
            }
            assertClose(rw, weight.toFloatArray(), 2e-6);
            assertClose(rb, bias.toFloatArray(), 2e-6);
            assertEquals(5, opt.steps("w"));
            assertTrue(opt.decays(weight));
            assertFalse(opt.decays(bias));
            assertTrue(opt.decays(nd.create(1f)), "0-d logit scale is decayed as in the official code");
            assertFalse(DecoupledAdamW.builder().optDecayScalars(false).build().decays(nd.create(1f)));
        }
    }

    @Test
    void scalarParametersAreDecayedAndGroupsHaveTheirOwnLearningRate() {
        double lr = 0.01;
        double groupLr = 1e-4;
        DecoupledAdamW opt = DecoupledAdamW.builder().setLearningRate(() -> lr).optWeightDecay(0.05)
                .optScalarParameters(java.util.List.of("theta"))
                .optGroupLearningRate(java.util.List.of("attn"), () -> groupLr).build();
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray theta = nd.create(new float[] {2.5f}, new Shape(1));
            NDArray attn = nd.create(new float[] {0.5f, -0.5f, 1f, 2f}, new Shape(2, 2));
            assertTrue(opt.decays("theta", theta), "θ stored as (1) is decayed like the official 0-d logit scale");
            assertFalse(opt.decays("bias", theta));
            assertEquals(groupLr, opt.learningRate("attn"));
            assertEquals(lr, opt.learningRate("other"));
            ReferenceAdamW refT = new ReferenceAdamW(lr, 0.05, 1);
            ReferenceAdamW refA = new ReferenceAdamW(groupLr, 0.05, 4);
            double[] rt = {2.5};
            double[] ra = {0.5, -0.5, 1, 2};
            Random rnd = new Random(7);
            for (int step = 0; step < 3; step++) {
                double[] gt = randomGrad(rnd, 1);
                double[] ga = randomGrad(rnd, 4);
                opt.update("theta", theta, nd.create(toFloat(gt), new Shape(1)));
                opt.update("attn", attn, nd.create(toFloat(ga), new Shape(2, 2)));
                refT.step(rt, roundToFloat(gt));
                refA.step(ra, roundToFloat(ga));
            }
            assertClose(rt, theta.toFloatArray(), 2e-6);
            assertClose(ra, attn.toFloatArray(), 2e-7);
        }
    }

    @Test
    void resumingFromExportedStateContinuesExactlyAsAnUninterruptedRun() throws Exception {
        float[] straight = train(4, NEVER);
        float[] resumed = train(4, 2);
        assertArrayEquals(straight, resumed, 0f, "export/import at step 2 must be invisible");
        float[] freshOptimizer = train(4, -2);
        assertFalse(java.util.Arrays.equals(straight, freshOptimizer),
                "restarting without the optimizer state gives different weights (so the state matters)");
    }

    private static final int NEVER = 1000;

    /**
     * Trains a small MLP for {@code steps}; at {@code resumeAt} (> 0) the weights and the optimizer state are moved
     * into a brand-new model and optimizer; at {@code -resumeAt} only the weights are (state lost).
     */
    private static float[] train(int steps, int resumeAt) throws Exception {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager data = NDManager.newBaseManager()) {
            NDArray x = data.randomNormal(new Shape(16, 4));
            NDArray y = data.randomInteger(0, 3, new Shape(16), ai.djl.ndarray.types.DataType.INT32)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            AtomicReference<Double> lr = new AtomicReference<>(0.05);
            Model model = Model.newInstance("mlp");
            model.setBlock(mlp());
            DecoupledAdamW opt = DecoupledAdamW.builder().setLearningRate(lr::get).build();
            Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(opt));
            trainer.initialize(new Shape(1, 4));
            for (int s = 0; s < steps; s++) {
                if (s == Math.abs(resumeAt)) {
                    NDList weights = new NDList();
                    for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                        weights.add(p.getValue().getArray().duplicate());
                    }
                    DecoupledAdamW.State state = opt.exportState(model.getBlock());
                    Model fresh = Model.newInstance("mlp2");
                    fresh.setBlock(mlp());
                    DecoupledAdamW opt2 = DecoupledAdamW.builder().setLearningRate(lr::get).build();
                    Trainer t2 = fresh.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(opt2));
                    t2.initialize(new Shape(1, 4));
                    int i = 0;
                    for (Pair<String, Parameter> p : fresh.getBlock().getParameters()) {
                        p.getValue().getArray().set(weights.get(i++).toFloatArray());
                    }
                    if (resumeAt > 0) {
                        opt2.importState(fresh.getBlock(), state, t2.getManager());
                    }
                    trainer.close();
                    model.close();
                    model = fresh;
                    trainer = t2;
                }
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow();
                    gc.backward(trainer.getLoss().evaluate(new NDList(y), new NDList(pred)));
                }
                trainer.step();
            }
            NDList all = new NDList();
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                all.add(p.getValue().getArray().flatten());
            }
            float[] out = NDArrays.concat(all).toFloatArray();
            trainer.close();
            model.close();
            return out;
        }
    }

    private static SequentialBlock mlp() {
        return new SequentialBlock().add(Linear.builder().setUnits(8).build())
                .add(ai.djl.nn.Activation::relu).add(Linear.builder().setUnits(3).build());
    }

    private static final class NDArrays {
        static NDArray concat(NDList l) {
            return ai.djl.ndarray.NDArrays.concat(l);
        }
    }

    private static double[] randomGrad(Random rnd, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = rnd.nextGaussian();
        }
        return g;
    }

    private static double[] roundToFloat(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }

    private static float[] toFloat(double[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = (float) a[i];
        }
        return r;
    }

    private static void assertClose(double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "element " + i);
        }
    }
}
