package dev.vlltr.core.model.clip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The towers train under a plain DJL {@link Trainer} (not a frozen TorchScript): one SGD step (lr 1) from the tiny
 * ViT bundle moves every parameter by PyTorch's gradient of CLIP's contrastive loss.
 */
class ClipTowersTrainerTest {

    /** Both towers and θ, as CLIP's forward: {@code (image, text) → logits_per_image}. */
    static final class TinyClip extends AbstractBlock {
        final ClipVisualEncoder visual;
        final ClipTextTransformer text;
        final Parameter theta;

        TinyClip(ClipVisualEncoder visual, ClipTextTransformer text) {
            this.visual = addChildBlock("visual", visual);
            this.text = addChildBlock("text", text);
            theta = addParameter(Parameter.builder().setName("logit_scale").setType(Parameter.Type.OTHER)
                    .optShape(new Shape()).optInitializer(new ConstantInitializer((float) Math.log(1 / 0.07)))
                    .build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDArray img = visual.forward(ps, new NDList(in.get(0)), training, p).singletonOrThrow();
            NDArray txt = text.forward(ps, new NDList(in.get(1)), training, p).singletonOrThrow();
            return new NDList(ClipTowersParityTest.logits(img, txt, ps.getValue(theta, img.getDevice(), training)));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            visual.initialize(manager, dataType, inputShapes[0]);
            text.initialize(manager, dataType, inputShapes[1]);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[1].get(0))};
        }
    }

    @Test
    void oneSgdStepMovesEveryParameterByPyTorchsGradient() {
        Engine.getInstance().setRandomSeed(7);
        try (Model model = Model.newInstance("tiny-clip"); NDManager m = NDManager.newBaseManager()) {
            TinyClipBundle b = new TinyClipBundle(m, "vit-b16");
            NDArray image = b.expected.get("input.image");
            NDArray text = b.expected.get("input.text");
            TinyClip clip = new TinyClip(b.visual(b.imageSize()), b.text());
            model.setBlock(clip);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(image.getShape(), text.getShape());
                ClipStateDict.load(clip.visual, b.state);
                ClipStateDict.load(clip.text, b.state);
                clip.theta.getArray().set(new float[] {(float) ClipStateDict.logitScale(b.state)});
                Map<String, Parameter> params = new HashMap<>(clip.visual.clipParameters());
                params.putAll(clip.text.clipParameters());
                params.put("logit_scale", clip.theta);
                Map<String, float[]> before = new HashMap<>();
                params.forEach((k, p) -> before.put(k, p.getArray().toFloatArray()));
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray logits = trainer.forward(new NDList(image, text)).singletonOrThrow();
                    NDArray loss = ClipTowersParityTest.contrastiveLoss(logits);
                    reuseFreedNativeMemory();
                    gc.backward(loss);
                }
                trainer.step();
                for (Map.Entry<String, Parameter> e : params.entrySet()) {
                    float[] after = e.getValue().getArray().toFloatArray();
                    float[] was = before.get(e.getKey());
                    double[] grad = b.expected.get("grad." + e.getKey()).toType(DataType.FLOAT64, false)
                            .toDoubleArray();
                    double scale = 0;
                    double worst = 0;
                    for (int i = 0; i < grad.length; i++) {
                        scale = Math.max(scale, Math.abs(grad[i]));
                        worst = Math.max(worst, Math.abs((was[i] - after[i]) - grad[i]));
                    }
                    // float32 training: the update is a difference of float32 values of magnitude ~1
                    assertTrue(scale > 0 && worst <= 1e-4 * Math.max(scale, 1e-2), e.getKey() + ": update off by "
                            + worst + " of gradient scale " + scale);
                }
            }
        }
    }

    /**
     * Between forward and backward: collects garbage and fills the freed small native blocks with {@code 0x7f}
     * bytes, so that a graph pointing at Java memory that was released (DJL 0.35.1's {@code NDArray op Number}
     * scalars, see {@link dev.vlltr.core.nd.GraphScalars}) reads garbage every time instead of in some runs.
     */
    private static void reuseFreedNativeMemory() {
        List<ByteBuffer> filler = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(50); // let the Cleaner free the unreachable direct buffers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            for (int k = 0; k < 20_000; k++) {
                ByteBuffer b = ByteBuffer.allocateDirect(k % 2 == 0 ? 4 : 8);
                while (b.hasRemaining()) {
                    b.put((byte) 0x7f);
                }
                filler.add(b);
            }
        }
    }
}
