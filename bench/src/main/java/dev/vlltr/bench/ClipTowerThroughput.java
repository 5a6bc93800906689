package dev.vlltr.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.model.clip.ClipVisualEncoder;
import dev.vlltr.core.model.clip.ClipVisualEncoders;
import dev.vlltr.core.nd.GraphScalars;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training-step throughput of CLIP's image towers at their real sizes ({@code resnet50}, {@code vit-b16}) at a small
 * image size: forward, CLIP's symmetric contrastive loss against fixed random text embeddings (scale 100), backward,
 * SGD step through a DJL {@link Trainer}. The same step in PyTorch eager is {@code bench/clip_towers_peer_pytorch.py}
 * (the modules of {@code tools/clip/make_tiny_clip_bundle.py}); {@code bench/run-clip-towers.sh} interleaves both.
 */
@Command(name = "clip-tower-throughput", mixinStandardHelpOptions = true,
        description = "Measures training steps of CLIP's RN50 / ViT-B/16 image tower (forward + backward + SGD).")
public final class ClipTowerThroughput implements Callable<Integer> {

    @Option(names = "--backbone", defaultValue = "resnet50", description = "resnet50 or vit-b16.")
    String backbone;

    @Option(names = "--image-size", defaultValue = "64", description = "Image side (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--batch", defaultValue = "16", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() throws Exception {
        Engine.getInstance().setRandomSeed(0);
        ClipVisualEncoder tower = switch (backbone) {
            case "resnet50" -> ClipVisualEncoders.resnet50(imageSize);
            case "vit-b16" -> ClipVisualEncoders.vitB16(imageSize);
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--backbone must be resnet50 or vit-b16, got " + backbone);
        };
        List<Double> times = new ArrayList<>();
        double last = Double.NaN;
        try (Model model = Model.newInstance("clip-" + backbone); NDManager m = NDManager.newBaseManager()) {
            model.setBlock(tower);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1e-3f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(batch, 3, imageSize, imageSize));
                NDArray text = m.randomNormal(new Shape(batch, tower.getEmbedDim()));
                text = text.div(text.norm(new int[] {1}, true));
                NDArray eye = m.eye(batch);
                for (int i = 0; i < warmup + steps; i++) {
                    // one sub-manager per step, as the stages' loops do: the step's arrays are freed when it closes
                    try (NDManager step = m.newSubManager()) {
                        NDArray images = step.randomNormal(new Shape(batch, 3, imageSize, imageSize));
                        long t0 = System.nanoTime();
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray f = trainer.forward(new NDList(images)).singletonOrThrow();
                            // GraphScalars, not mul/div(Number): DJL's scalar is Java memory the graph outlives
                            NDArray logits = GraphScalars.mul(f.div(f.norm(new int[] {1}, true))
                                    .matMul(text.transpose()), 100f);
                            NDArray loss = GraphScalars.div(logits.logSoftmax(1).mul(eye).sum()
                                    .add(logits.logSoftmax(0).mul(eye).sum()).neg(), 2f * batch);
                            gc.backward(loss);
                            last = loss.getFloat();
                            if (Boolean.getBoolean("bench.trace")) {
                                System.err.println("step " + i + " loss " + last);
                            }
                        }
                        trainer.step();
                        if (i >= warmup) {
                            times.add((System.nanoTime() - t0) / 1e6);
                        }
                    }
                }
            }
        }
        Collections.sort(times);
        double median = times.get(times.size() / 2);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("impl", "djl-" + Engine.getInstance().getEngineName().toLowerCase() + "-"
                + Engine.getInstance().getVersion());
        out.put("backbone", backbone);
        out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", -1));
        out.put("image_size", imageSize);
        out.put("batch", batch);
        out.put("steps", steps);
        out.put("parameters", tower.parameterCount());
        out.put("median_step_ms", Math.round(median * 100) / 100.0);
        out.put("images_per_s", Math.round(batch / (median / 1000) * 10) / 10.0);
        out.put("final_loss", Math.round(last * 10000) / 10000.0);
        System.out.println(new ObjectMapper().writeValueAsString(out));
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ClipTowerThroughput()).execute(args));
    }
}
