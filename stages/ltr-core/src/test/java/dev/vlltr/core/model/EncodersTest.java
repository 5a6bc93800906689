package dev.vlltr.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.vlltr.core.loss.CvlpLoss;
import org.junit.jupiter.api.Test;

class EncodersTest {

    private static long parameterCount(ai.djl.nn.Block block) {
        long n = 0;
        for (var p : block.getParameters()) {
            n += p.getValue().getArray().size();
        }
        return n;
    }

    @Test
    void resnet20CifarStyleBackboneAndProjection() {
        VisionEncoder enc = VisionEncoder.builder().optEmbedDim(32).build();
        assertEquals(64, enc.getFeatureDim());
        try (NDManager m = NDManager.newBaseManager()) {
            enc.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
            // DJL's ResNet-20 (1×28×28, 10 classes) has 274,010 parameters incl. BN running stats, of which the
            // classifier Linear(64 → 10) is 650 (feasibility-ml.md 1.5).
            assertEquals(274_010 - 650, parameterCount(enc.getBackbone()));
            assertEquals(64 * 32 + 32, parameterCount(enc.getProjection()));
            NDArray x = m.randomNormal(new Shape(2, 1, 28, 28));
            ParameterStore ps = new ParameterStore(m, false);
            assertEquals(new Shape(2, 32), enc.forward(ps, new NDList(x), false).singletonOrThrow().getShape());
            assertEquals(new Shape(2, 64),
                    enc.getBackbone().forward(ps, new NDList(x), false).singletonOrThrow().getShape());
        }
    }

    @Test
    void cifarStyleServesThreeChannel32PixelImages() {
        VisionEncoder enc = VisionEncoder.builder().optDepth(32).optImageChannels(3).optEmbedDim(16).build();
        try (NDManager m = NDManager.newBaseManager()) {
            enc.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            NDArray y = enc.forward(new ParameterStore(m, false),
                    new NDList(m.randomNormal(new Shape(3, 3, 32, 32))), false).singletonOrThrow();
            assertEquals(new Shape(3, 16), y.getShape());
        }
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> VisionEncoder.builder().optDepth(21).build());
        assertTrue(e.getMessage().contains("depth 21"), e.getMessage());
    }

    @Test
    void singleLayerTextProjectionIsAffine() {
        TextProjection proj = TextProjection.builder().optInputDim(3).optHiddenDim(0).optEmbedDim(2).build();
        try (NDManager m = NDManager.newBaseManager()) {
            proj.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            float[] w = null;
            float[] b = null;
            for (var p : proj.getParameters()) {
                if (p.getValue().getType() == Parameter.Type.WEIGHT) {
                    w = p.getValue().getArray().toFloatArray();
                } else {
                    b = p.getValue().getArray().toFloatArray();
                }
            }
            float[] x = {0.5f, -1f, 2f};
            float[] y = proj.forward(new ParameterStore(m, false), new NDList(m.create(x, new Shape(1, 3))), false)
                    .singletonOrThrow().toFloatArray();
            for (int o = 0; o < 2; o++) {
                double expected = b[o];
                for (int i = 0; i < 3; i++) {
                    expected += w[o * 3 + i] * x[i];
                }
                assertEquals(expected, y[o], 1e-6);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> proj.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(1, 4))), false));
            assertTrue(e.getMessage().contains("(B, 3)"), e.getMessage());
        }
    }

    @Test
    void logitScaleInitClampAndGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            LogitScale s = LogitScale.builder().build();
            s.initialize(m, DataType.FLOAT32);
            assertEquals(1 / 0.07, s.currentScale(), 1e-3);
            double[] inside = scaleAndGrad(s, m);
            assertEquals(1 / 0.07, inside[0], 1e-3);
            assertEquals(1 / 0.07, inside[1], 1e-3, "d exp(θ)/dθ = exp(θ) inside the clamp");

            LogitScale clamped = LogitScale.builder().optInitialValue(Math.log(200)).build();
            clamped.initialize(m, DataType.FLOAT32);
            double[] r = scaleAndGrad(clamped, m);
            assertEquals(100, r[0], 1e-3);
            assertEquals(0, r[1], 0, "no gradient while clamped");
            assertTrue(clamped.clampParameter());
            assertEquals(Math.log(100), clamped.getThetaParameter().getArray().getFloat(0), 1e-6);
            assertEquals(100, scaleAndGrad(clamped, m)[1], 1e-2,
                    "on the bound the gradient flows again (torch.clamp passes it at equality)");
            assertTrue(!s.clampParameter(), "θ below the bound is left alone");

            LogitScale vlLtr = LogitScale.builder().optInitialValue(Math.log(200))
                    .optMaxValue(Double.POSITIVE_INFINITY).build();
            vlLtr.initialize(m, DataType.FLOAT32);
            assertEquals(200, scaleAndGrad(vlLtr, m)[0], 1e-2);
        }
    }

    private static double[] scaleAndGrad(LogitScale s, NDManager m) {
        ParameterStore ps = new ParameterStore(m, false);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray v = s.forward(ps, new NDList(), true).singletonOrThrow();
            double value = v.getFloat(0);
            gc.backward(v.sum());
            return new double[] {value, s.getThetaParameter().getArray().getGradient().getFloat(0)};
        }
    }

    @Test
    void cvlpDualEncoderTrainsWithTheCvlpLoss() {
        Engine.getInstance().setRandomSeed(0);
        int batch = 8;
        CvlpModel net = new CvlpModel(VisionEncoder.builder().optDepth(8).optEmbedDim(16).build(),
                TextProjection.builder().optInputDim(12).optHiddenDim(32).optEmbedDim(16).build(),
                LogitScale.builder().build());
        try (Model model = Model.newInstance("cvlp")) {
            model.setBlock(net);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(CvlpLoss.builder().build())
                    .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(3e-3f)).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(batch, 1, 12, 12), new Shape(batch, 12));
                assertEquals(LogitScale.CLIP_INIT, net.getLogitScale().getThetaParameter().getArray().getFloat(0),
                        1e-6, "a Trainer's default initialiser must not overwrite θ₀");
                NDManager data = trainer.getManager().newSubManager();
                NDArray labels = data.create(new int[] {0, 1, 2, 3, 0, 1, 2, 3});
                NDArray protoImg = data.randomNormal(new Shape(4, 1, 12, 12));
                NDArray protoTxt = data.randomNormal(new Shape(4, 12));
                NDArray images = protoImg.get(labels).add(data.randomNormal(new Shape(batch, 1, 12, 12)).mul(0.3f));
                NDArray sents = protoTxt.get(labels).add(data.randomNormal(new Shape(batch, 12)).mul(0.3f));
                float first = 0;
                float last = 0;
                for (int step = 0; step < 15; step++) {
                    try (NDManager sub = data.newSubManager();
                            GradientCollector gc = trainer.newGradientCollector()) {
                        NDList out = trainer.forward(new NDList(images, sents));
                        NDArray loss = trainer.getLoss().evaluate(new NDList(labels), out);
                        loss.attach(sub);
                        last = loss.getFloat();
                        if (step == 0) {
                            first = last;
                        }
                        gc.backward(loss);
                    }
                    trainer.step();
                }
                assertTrue(last < 0.8 * first, "loss should fall: " + first + " -> " + last);
                assertNotEquals(LogitScale.CLIP_INIT,
                        net.getLogitScale().getThetaParameter().getArray().getFloat(0), 1e-6);
                data.close();
            }
        }
    }
}
