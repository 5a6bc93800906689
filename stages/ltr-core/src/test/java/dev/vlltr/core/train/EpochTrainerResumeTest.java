package dev.vlltr.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.vlltr.core.calibrate.SgdSchedule;
import dev.vlltr.core.data.FloatBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The one loop ({@link EpochTrainer}) resumes exactly for each of its three trainers: train three epochs straight;
 * train one, export, import into a brand-new trainer and train the other two; the parameters and the optimizer state
 * are bit for bit the same.
 */
class EpochTrainerResumeTest {

    static final int EPOCHS = 3;

    /** Runs both schedules and compares parameters and optimizer state bytes. */
    static <T extends EpochTrainer<?>> void resumedEqualsStraight(Supplier<T> trainer,
            IntFunction<List<FloatBatch>> batches) throws Exception {
        EpochTrainer.State straight;
        try (T t = trainer.get()) {
            for (int e = 0; e < EPOCHS; e++) {
                t.trainEpoch(e, batches.apply(e).iterator());
            }
            straight = t.exportState();
        }
        EpochTrainer.State afterOne;
        try (T t = trainer.get()) {
            t.trainEpoch(0, batches.apply(0).iterator());
            afterOne = t.exportState();
        }
        EpochTrainer.State resumed;
        try (T t = trainer.get()) {
            t.importState(afterOne);
            for (int e = 1; e < EPOCHS; e++) {
                t.trainEpoch(e, batches.apply(e).iterator());
            }
            resumed = t.exportState();
        }
        assertTrue(afterOne.optimizer().steps().size() > 0, "the optimizer has state to carry");
        assertArrayEquals(straight.parameters(), resumed.parameters(), "parameters");
        assertArrayEquals(straight.optimizer().moments(), resumed.optimizer().moments(), "optimizer arrays");
        assertEquals(straight.optimizer().steps(), resumed.optimizer().steps(), "optimizer steps");
    }

    @Test
    void cvlpResumedRunEndsExactlyLikeAnUninterruptedOne() throws Exception {
        resumedEqualsStraight(() -> TrainersTest.cvlp(true), e -> TrainersTest.batches(e, 2, 8));
    }

    @Test
    void lgrWithMixupResumedRunEndsExactlyLikeAnUninterruptedOne() throws Exception {
        // images through a tiny frozen backbone, with Mixup/CutMix: the draws depend only on (seed, epoch, batch)
        resumedEqualsStraight(() -> {
            Engine.getInstance().setRandomSeed(7);
            LgrTrainer.Builder b = LgrTrainer.builder().setHead(TrainersTest.head(false))
                    .setSchedule(new CosineWarmupSchedule(1e-2, EPOCHS, 1, 1e-4, 0)).optSeed(11)
                    .optMixup(MixupCutmix.vlLtr());
            // a tiny image tower (images -> 4-d features), initialised by the trainer and then frozen
            SequentialBlock backbone = new SequentialBlock().add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(4).build());
            return b.optBackbone(backbone).setInputShape(new Shape(1, 8, 8)).build();
        }, e -> threeClassBatches(e));
    }

    @Test
    void crossEntropyResumedRunEndsExactlyLikeAnUninterruptedOne() throws Exception {
        SgdSchedule schedule = SupervisedTrainer.defaultSchedule(8).withEpochs(EPOCHS).withLearningRate(0.05);
        List<SupervisedModel> models = new ArrayList<>(); // the trainer does not own the network; the test does
        try {
            resumedEqualsStraight(() -> {
                Engine.getInstance().setRandomSeed(3);
                SupervisedModel model = SupervisedModel.create(2, 8, new Shape(1, 8, 8), Device.cpu());
                models.add(model);
                return new CrossEntropyTrainer(model, schedule, Device.cpu());
            }, e -> TrainersTest.batches(e, 2, 8));
        } finally {
            models.forEach(SupervisedModel::close);
        }
    }

    /** Batches of three classes (the tiny LGR head has three). */
    static List<FloatBatch> threeClassBatches(int epoch) {
        Random rnd = new Random(200 + epoch);
        List<FloatBatch> out = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            float[] x = new float[6 * 64];
            int[] y = new int[6];
            for (int i = 0; i < 6; i++) {
                y[i] = i % 3;
                for (int k = 0; k < 64; k++) {
                    x[i * 64 + k] = (float) rnd.nextGaussian() + y[i];
                }
            }
            out.add(new FloatBatch(b, x, y, new int[6], 1, 8, 8));
        }
        return out;
    }
}
