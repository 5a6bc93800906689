package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import ai.djl.nn.core.Linear;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.LgrHead;
import dev.vlltr.core.model.LogitScale;
import dev.vlltr.core.model.TextProjection;
import dev.vlltr.core.model.VisionEncoder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** CVLP and LGR training loops on tiny models: exact resume, frozen parts stay frozen, loss goes down. */
class TrainersTest {

    static final int B = 8;

    static List<FloatBatch> batches(int epoch, int count, int side) {
        Random rnd = new Random(100 + epoch);
        List<FloatBatch> out = new ArrayList<>();
        for (int b = 0; b < count; b++) {
            float[] x = new float[B * side * side];
            int[] y = new int[B];
            for (int i = 0; i < B; i++) {
                y[i] = i % 2;
                for (int k = 0; k < side * side; k++) {
                    x[i * side * side + k] = (float) rnd.nextGaussian() + y[i];
                }
            }
            out.add(new FloatBatch(b, x, y, new int[B], 1, side, side));
        }
        return out;
    }

    static CvlpTrainer cvlp(boolean trainText) {
        Engine.getInstance().setRandomSeed(5);
        CvlpModel model = new CvlpModel(VisionEncoder.builder().optDepth(8).optEmbedDim(8).build(),
                TextProjection.builder().optInputDim(6).optHiddenDim(0).optEmbedDim(8).build(),
                LogitScale.builder().build());
        float[][] table = new float[4][6];
        Random r = new Random(1);
        for (float[] row : table) {
            for (int k = 0; k < 6; k++) {
                row[k] = (float) r.nextGaussian();
            }
        }
        return CvlpTrainer.builder().setModel(model).setImageShape(new Shape(1, 8, 8)).setTextInputs(table, false)
                .setSentences(new ClassSentences(new int[] {0, 1, 0, 1}, 2))
                .setSchedule(new CosineWarmupSchedule(1e-2, 3, 1, 1e-4, 0)).optSeed(3).optTrainText(trainText)
                .build();
    }

    @Test
    void cvlpResumedFromExportedStateEndsExactlyLikeAnUninterruptedRun() throws Exception {
        byte[] straight;
        try (CvlpTrainer t = cvlp(true)) {
            for (int e = 0; e < 3; e++) {
                CvlpTrainer.EpochStats st = t.trainEpoch(e, batches(e, 2, 8).iterator());
                assertEquals(2, st.steps());
                assertEquals(16, st.images());
                assertTrue(Double.isNaN(st.dis()), "no teacher: no L_dis");
                assertEquals(st.loss(), st.ccl(), 1e-9);
            }
            assertEquals(0.0, t.effectiveLambda());
            straight = ParameterSnapshot.export(t.getModel());
        }
        CvlpTrainer.State state;
        try (CvlpTrainer t = cvlp(true)) {
            t.trainEpoch(0, batches(0, 2, 8).iterator());
            state = t.exportState();
        }
        byte[] resumed;
        try (CvlpTrainer t = cvlp(true)) {
            t.importState(state);
            for (int e = 1; e < 3; e++) {
                t.trainEpoch(e, batches(e, 2, 8).iterator());
            }
            resumed = ParameterSnapshot.export(t.getModel());
        }
        assertArrayEquals(straight, resumed);
    }

    /** As for LGR: a CVLP step leaves nothing in the model's manager (the logit scale is computed from θ each step). */
    @Test
    void cvlpStepsLeaveNoArraysInTheModelsManager() throws Exception {
        try (CvlpTrainer t = cvlp(true)) {
            NDManager model = t.getModel().getLogitScale().getParameters().get("logit_scale").getArray().getManager();
            int[] counts = new int[5];
            for (int e = 0; e < counts.length; e++) {
                t.trainEpoch(e, batches(e, 2, 8).iterator());
                counts[e] = model.getManagedArrays().size();
            }
            for (int e = 2; e < counts.length; e++) {
                assertEquals(counts[1], counts[e], "arrays in the model's manager after each epoch: "
                        + java.util.Arrays.toString(counts));
            }
        }
    }

    @Test
    void frozenTextProjectionDoesNotMove() throws Exception {
        try (CvlpTrainer t = cvlp(false)) {
            float[][] before = t.encodeAllText(4);
            t.trainEpoch(1, batches(1, 2, 8).iterator());
            assertArrayEquals(before, t.encodeAllText(4));
        }
        try (CvlpTrainer t = cvlp(true)) {
            float[][] before = t.encodeAllText(4);
            t.trainEpoch(1, batches(1, 2, 8).iterator());
            assertFalse(java.util.Arrays.deepEquals(before, t.encodeAllText(4)));
        }
    }

    @Test
    void parameterSnapshotRestoresInPlaceAndRejectsOtherShapes() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear a = Linear.builder().setUnits(3).build();
            a.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            NDArray weight = a.getParameters().get("weight").getArray();
            byte[] snap = ParameterSnapshot.export(a);
            float[] original = weight.toFloatArray();
            weight.set(new float[6]);
            ParameterSnapshot.restore(a, snap);
            assertArrayEquals(original, a.getParameters().get("weight").getArray().toFloatArray());
            assertTrue(weight == a.getParameters().get("weight").getArray(), "the same array, restored in place");
            Linear b = Linear.builder().setUnits(4).build();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            assertThrows(IllegalArgumentException.class, () -> ParameterSnapshot.restore(b, snap));
        }
    }

    static LgrHead head(boolean freeze) {
        float[] memory = new float[3 * 2 * 4];
        Random r = new Random(2);
        for (int i = 0; i < memory.length; i++) {
            memory[i] = (float) r.nextGaussian();
        }
        return LgrHead.builder().setTextMemory(memory, 3, 2, 4).setSentenceCounts(2, 1, 2).setLogitScale(Math.log(10))
                .optFreezeAttention(freeze).build();
    }

    @Test
    void lgrOnFeaturesLearnsAndItsOutputsMatchTheHeadAndTheVisualClassifier() throws Exception {
        Engine.getInstance().setRandomSeed(1);
        Random r = new Random(4);
        float[][] f = new float[60][4];
        int[] y = new int[60];
        for (int i = 0; i < 60; i++) {
            y[i] = i % 3;
            for (int k = 0; k < 4; k++) {
                f[i][k] = (float) r.nextGaussian() * 0.3f + (k == y[i] ? 2 : 0);
            }
        }
        LgrHead head = head(true);
        try (LgrTrainer t = LgrTrainer.builder().setHead(head).setInputShape(new Shape(4))
                .setSchedule(new CosineWarmupSchedule(1e-2, 20, 0, 0, 0)).build()) {
            float[] attentionBefore = head.attentionParameters().get(4).getArray().toFloatArray();
            double first = Double.NaN;
            double last = Double.NaN;
            for (int e = 0; e < 20; e++) {
                List<FloatBatch> bs = new ArrayList<>();
                for (int b = 0; b < 3; b++) {
                    int[] rows = new int[20];
                    for (int i = 0; i < 20; i++) {
                        rows[i] = b * 20 + i;
                    }
                    bs.add(LgrTrainer.featureBatch(b, f, y, rows));
                }
                LgrTrainer.EpochStats st = t.trainEpoch(e, bs.iterator());
                assertEquals(st.ceImage() + st.ceText(), st.loss(), 1e-5);
                first = e == 0 ? st.ceImage() : first;
                last = st.ceImage();
            }
            assertTrue(last < first * 0.7, "CE(P^I) " + first + " -> " + last + " (the MLP learns the separable classes)");
            assertArrayEquals(attentionBefore, head.attentionParameters().get(4).getArray().toFloatArray(),
                    "frozen attention (W_q) does not move");

            LgrTrainer.Outputs out = t.outputs(f, 7);
            float[][][] wb = t.visualClassifier();
            try (NDManager m = NDManager.newBaseManager()) {
                NDList ref = t.forwardHead(m, m.create(f[5]).reshape(1, 4));
                assertArrayEquals(ref.get(0).toFloatArray(), out.logitsImage()[5], 1e-5f);
                assertArrayEquals(ref.get(1).toFloatArray(), out.logitsText()[5], 1e-5f);
            }
            assertEquals(16, out.hidden()[0].length);
            for (int c = 0; c < 3; c++) {
                double z = wb[1][0][c];
                for (int k = 0; k < 16; k++) {
                    z += wb[0][c][k] * out.hidden()[5][k];
                    assertTrue(out.hidden()[5][k] >= 0, "hidden is after the ReLU");
                }
                assertEquals(z, out.logitsImage()[5][c], 1e-4);
            }
        }
    }

    /**
     * Results of operations led by a parameter (the text memory's LayerNorm, the mask, exp θ) join the parameter's
     * manager, the model's; a step must not leave them there (they would pile up until the model closes), and the
     * frozen parts are computed once, not per step. Label smoothing on, so the loss's scalar weights are used too.
     */
    @Test
    void lgrStepsLeaveNoArraysInTheModelsManager() throws Exception {
        Engine.getInstance().setRandomSeed(1);
        LgrHead head = head(false);
        float[][] f = new float[8][4];
        Random r = new Random(5);
        for (float[] row : f) {
            for (int k = 0; k < 4; k++) {
                row[k] = (float) r.nextGaussian();
            }
        }
        int[] y = {0, 1, 2, 0, 1, 2, 0, 1};
        try (LgrTrainer t = LgrTrainer.builder().setHead(head).setInputShape(new Shape(4)).optLabelSmoothing(0.1)
                .setSchedule(new CosineWarmupSchedule(1e-2, 10, 0, 0, 0)).build()) {
            NDManager model = head.getParameters().get("text_memory").getArray().getManager();
            int[] counts = new int[6];
            for (int e = 0; e < counts.length; e++) {
                t.trainEpoch(e, List.of(LgrTrainer.featureBatch(0, f, y, new int[] {0, 1, 2, 3}),
                        LgrTrainer.featureBatch(1, f, y, new int[] {4, 5, 6, 7})).iterator());
                counts[e] = model.getManagedArrays().size();
            }
            // epoch 0 creates the optimizer's moments and the cached constants; after that nothing may accumulate
            for (int e = 2; e < counts.length; e++) {
                assertEquals(counts[1], counts[e], "arrays in the model's manager after each epoch: "
                        + java.util.Arrays.toString(counts));
            }
        }
    }

    @Test
    void lgrAttentionGroupGetsItsOwnLearningRate() throws Exception {
        Engine.getInstance().setRandomSeed(1);
        LgrHead head = head(false);
        try (LgrTrainer t = LgrTrainer.builder().setHead(head).setInputShape(new Shape(4)).optAttentionLr(0)
                .setSchedule(new CosineWarmupSchedule(1e-2, 2, 0, 0, 0)).optWeightDecay(0).build()) {
            float[] wq = head.attentionParameters().get(4).getArray().toFloatArray();
            float[][] f = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
            Iterator<FloatBatch> one = List.of(LgrTrainer.featureBatch(0, f, new int[] {0, 1, 2}, new int[] {0, 1,
                2})).iterator();
            t.trainEpoch(0, one);
            assertArrayEquals(wq, head.attentionParameters().get(4).getArray().toFloatArray(),
                    "attention lr 0: W_q unchanged although it has a gradient");
        }
    }

    @Test
    void lgrTrainedOnThreeShardsEndsLikeOneDevice() throws Exception {
        // the whole EpochTrainer path (sharded forward, gather, loss over the global batch, backward, AdamW step):
        // data-parallel over simulated devices must train exactly as the unsplit batch (the head has no BatchNorm)
        Random r = new Random(7);
        float[][] f = new float[40][4];
        int[] y = new int[40];
        for (int i = 0; i < 40; i++) {
            y[i] = i % 3;
            for (int k = 0; k < 4; k++) {
                f[i][k] = (float) r.nextGaussian() * 0.5f + (k == y[i] ? 1 : 0);
            }
        }
        float[][][] logits = new float[2][][];
        for (int run = 0; run < 2; run++) {
            Engine.getInstance().setRandomSeed(3);
            TrainingDevices devices = run == 0 ? TrainingDevices.cpu() : TrainingDevices.simulated(3);
            try (LgrTrainer t = LgrTrainer.builder().setHead(head(false)).setInputShape(new Shape(4))
                    .setSchedule(new CosineWarmupSchedule(1e-2, 3, 0, 0, 0)).optAttentionLr(1e-3)
                    .optDevices(devices).build()) {
                for (int e = 0; e < 3; e++) {
                    List<FloatBatch> bs = new ArrayList<>();
                    for (int b = 0; b < 2; b++) {
                        int[] rows = new int[20];
                        for (int i = 0; i < 20; i++) {
                            rows[i] = b * 20 + i; // 20 rows: shards of 7, 7 and 6
                        }
                        bs.add(LgrTrainer.featureBatch(b, f, y, rows));
                    }
                    t.trainEpoch(e, bs.iterator());
                }
                logits[run] = t.outputs(f, 8).logitsText();
            }
        }
        double moved = 0;
        for (int i = 0; i < f.length; i++) {
            assertArrayEquals(logits[0][i], logits[1][i], 1e-5f, "row " + i);
            moved += Math.abs(logits[0][i][0]);
        }
        assertTrue(moved > 0, "the head produced logits");
    }
}
