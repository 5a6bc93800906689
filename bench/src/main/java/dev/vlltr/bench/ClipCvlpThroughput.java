package dev.vlltr.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.loss.MultiPositiveContrastiveLoss;
import dev.vlltr.core.model.LogitScale;
import dev.vlltr.core.model.clip.ClipTextTransformer;
import dev.vlltr.core.model.clip.ClipVisualEncoder;
import dev.vlltr.core.model.clip.ClipVisualEncoders;
import dev.vlltr.core.train.DecoupledAdamW;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * CVLP training throughput on CLIP's towers (ltr-core {@code dev.vlltr.core.model.clip}): ModifiedResNet-50 or
 * ViT-B/16 image tower + CLIP's text transformer (context 77), VL-LTR's contrastive loss ({@link
 * MultiPositiveContrastiveLoss}, smoothing 0.1), {@link DecoupledAdamW} (lr 5e-5, wd 0.05, none on 1-D parameters),
 * fp32, random initialisation. The same step in PyTorch eager is {@code bench/clip_cvlp_peer_pytorch.py};
 * {@code bench/gpu-check.sh} and {@code bench/run-clip-cvlp.sh} run both side by side. Prints one JSON line
 * (images_per_s; on a GPU the peak memory PyTorch's caching allocator reports is not visible to DJL, so it is left
 * to nvidia-smi in gpu-check.sh).
 */
@Command(name = "clip-cvlp-throughput", mixinStandardHelpOptions = true,
        description = "Measures CVLP training steps per second on CLIP's RN50 / ViT-B/16 towers.")
public final class ClipCvlpThroughput implements Callable<Integer> {

    @Option(names = "--backbone", defaultValue = "resnet50", description = "resnet50 or vit-b16.")
    String backbone;

    @Option(names = "--image-size", defaultValue = "224", description = "Image side (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (GPU 0).")
    String device;

    @CommandLine.Mixin
    SteadyClock clock = new SteadyClock();

    /** Both towers and θ: {@code (image, tokens) → [image features, text features, e^θ]}, the CVLP loss' input. */
    static final class ClipPair extends AbstractBlock {
        private final ClipVisualEncoder visual;
        private final ClipTextTransformer text;
        private final LogitScale scale;

        ClipPair(ClipVisualEncoder visual, ClipTextTransformer text) {
            this.visual = addChildBlock("visual", visual);
            this.text = addChildBlock("text", text);
            this.scale = addChildBlock("scale", LogitScale.builder().build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> p) {
            NDArray img = visual.forward(ps, new NDList(in.get(0)), training, p).singletonOrThrow();
            NDArray txt = text.forward(ps, new NDList(in.get(1)), training, p).singletonOrThrow();
            return new NDList(img, txt, scale.forward(ps, new NDList(), training, p).singletonOrThrow());
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            visual.initialize(manager, dataType, inputShapes[0]);
            text.initialize(manager, dataType, inputShapes[1]);
            scale.initialize(manager, dataType);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            long b = inputShapes[0].get(0);
            return new Shape[] {new Shape(b, text.getEmbedDim()), new Shape(b, text.getEmbedDim()), new Shape()};
        }
    }

    @Override
    public Integer call() throws Exception {
        Engine.getInstance().setRandomSeed(0);
        ClipVisualEncoder visual = switch (backbone) {
            case "resnet50" -> ClipVisualEncoders.resnet50(imageSize);
            case "vit-b16" -> ClipVisualEncoders.vitB16(imageSize);
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--backbone: expected resnet50 or vit-b16, got '" + backbone + "'");
        };
        // openai/CLIP: RN50 embeds in 1024, ViT-B/16 in 512
        ClipPair net = new ClipPair(visual, ClipTextTransformer.clip(backbone.equals("resnet50") ? 1024 : 512));
        Device dev = device.equals("gpu") ? Device.gpu() : Device.cpu();
        Random rnd = new Random(1);
        List<float[]> images = new ArrayList<>();
        List<int[]> labels = new ArrayList<>();
        List<int[]> tokens = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] x = new float[batch * 3 * imageSize * imageSize];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rnd.nextGaussian();
            }
            int[] y = new int[batch];
            int[] t = new int[batch * 77];
            for (int b = 0; b < batch; b++) {
                y[b] = rnd.nextInt(1000);
                for (int k = 0; k < 20; k++) {
                    t[b * 77 + k] = 1 + rnd.nextInt(49405);
                }
                t[b * 77 + 20] = 49407; // end-of-text, the highest id: where CLIP reads the text feature
            }
            images.add(x);
            labels.add(y);
            tokens.add(t);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("impl", "djl-" + Engine.getInstance().getEngineName().toLowerCase() + "-"
                + Engine.getInstance().getVersion());
        out.put("backbone", backbone);
        out.put("image_size", imageSize);
        out.put("batch", batch);
        out.put("device", dev.toString());
        out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", -1));
        double[] last = {Double.NaN};
        int[] next = {0};
        MultiPositiveContrastiveLoss loss = MultiPositiveContrastiveLoss.builder().build();
        try (Model model = Model.newInstance("clip-cvlp", dev)) {
            model.setBlock(net);
            DecoupledAdamW adamw = DecoupledAdamW.builder().setLearningRate(() -> 5e-5).optWeightDecay(0.05)
                    .optScalarParameters(List.of(net.scale.getThetaParameter().getId())).build();
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adamw)
                    .optDevices(new Device[] {dev}))) {
                trainer.initialize(new Shape(1, 3, imageSize, imageSize), new Shape(1, 77));
                out.putAll(clock.run(() -> {
                    int i = next[0]++ % images.size();
                    try (NDManager step = trainer.getManager().newSubManager()) {
                        NDArray x = step.create(images.get(i), new Shape(batch, 3, imageSize, imageSize));
                        NDArray t = step.create(tokens.get(i), new Shape(batch, 77));
                        NDArray y = step.create(labels.get(i));
                        NDArray l;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            l = loss.evaluate(new NDList(y), trainer.forward(new NDList(x, t)));
                            gc.backward(l);
                        }
                        trainer.step();
                        net.scale.clampParameter();
                        last[0] = l.getFloat(); // synchronises the device: the step is complete
                    }
                }));
            }
        }
        double median = (Double) out.get("median_step_ms");
        out.put("images_per_s", Math.round(batch / (median / 1000) * 10) / 10.0);
        out.put("final_loss", Math.round(last[0] * 10000) / 10000.0);
        System.out.println(new ObjectMapper().writeValueAsString(out));
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClipCvlpThroughput()).execute(args));
    }
}
