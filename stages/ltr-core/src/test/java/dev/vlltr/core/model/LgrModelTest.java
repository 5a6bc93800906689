package dev.vlltr.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.vlltr.core.loss.TwoBranchCrossEntropyLoss;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LgrModelTest {

    private static Map<String, float[]> snapshot(Iterable<ai.djl.util.Pair<String, Parameter>> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (var p : params) {
            out.put(p.getKey(), p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void frozenBackboneAndAttentionStayPutWhileTheMlpLearns() {
        Engine.getInstance().setRandomSeed(3);
        int classes = 3;
        int dim = 8;
        float[] memory = new float[classes * 2 * dim];
        Random rnd = new Random(4);
        for (int i = 0; i < memory.length; i++) {
            memory[i] = (float) rnd.nextGaussian();
        }
        LgrHead head = LgrHead.builder().setTextMemory(memory, classes, 2, dim).setSentenceCounts(2, 1, 2)
                .setLogitScale(Math.log(1 / 0.07)).optFreezeAttention(true).build();
        VisionEncoder backbone = VisionEncoder.builder().optDepth(8).optEmbedDim(dim).build();
        LgrModel lgr = new LgrModel(backbone, head);
        try (Model model = Model.newInstance("lgr")) {
            model.setBlock(lgr);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(new TwoBranchCrossEntropyLoss())
                    .optOptimizer(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-2f)).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(6, 1, 10, 10));
                Map<String, float[]> backboneBefore = snapshot(backbone.getParameters());
                Map<String, float[]> attentionBefore = new LinkedHashMap<>();
                for (Parameter p : head.attentionParameters()) {
                    attentionBefore.put(p.getName(), p.getArray().toFloatArray());
                }
                NDArray fc1 = head.getChildren().get(0).getValue().getParameters().get(0).getValue().getArray();
                float[] mlpBefore = fc1.toFloatArray();
                // the official trunc-normal(0.02) init must survive the Trainer's default (Xavier) initialiser
                assertEquals(0.02, fc1.sub(fc1.mean()).square().mean().sqrt().getFloat(), 0.004);
                NDManager data = trainer.getManager().newSubManager();
                NDArray images = data.randomNormal(new Shape(6, 1, 10, 10));
                NDArray labels = data.create(new int[] {0, 1, 2, 0, 1, 2});
                float first = 0;
                float last = 0;
                for (int step = 0; step < 8; step++) {
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDList out = trainer.forward(new NDList(images));
                        NDArray loss = trainer.getLoss().evaluate(new NDList(labels), out);
                        last = loss.getFloat();
                        if (step == 0) {
                            first = last;
                        }
                        gc.backward(loss);
                    }
                    trainer.step();
                }
                assertTrue(last < first, "loss should fall: " + first + " -> " + last);
                // backbone weights and BN running statistics unchanged (frozen, inference-mode BN)
                Map<String, float[]> backboneAfter = snapshot(backbone.getParameters());
                for (var e : backboneBefore.entrySet()) {
                    assertArrayEquals(e.getValue(), backboneAfter.get(e.getKey()), 0f, e.getKey());
                }
                for (Parameter p : head.attentionParameters()) {
                    assertArrayEquals(attentionBefore.get(p.getName()), p.getArray().toFloatArray(), 0f, p.getName());
                }
                float[] mlpAfter = head.getChildren().get(0).getValue().getParameters().get(0).getValue()
                        .getArray().toFloatArray();
                double change = 0;
                for (int i = 0; i < mlpAfter.length; i++) {
                    change += Math.abs(mlpAfter[i] - mlpBefore[i]);
                }
                assertTrue(change > 0, "the MLP must learn");
                assertArrayEquals(memory, head.getDirectParameters().get("text_memory").getArray().toFloatArray(),
                        0f);
                assertEquals(6, trainer.evaluate(new NDList(images)).get(1).getShape().get(0));
                data.close();
            }
        }
    }
}
