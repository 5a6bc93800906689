package dev.vlltr.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.loss.MultiPositiveContrastiveLoss;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.LogitScale;
import dev.vlltr.core.model.TextProjection;
import dev.vlltr.core.model.VisionEncoder;
import dev.vlltr.core.train.DecoupledAdamW;
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
 * CVLP training throughput: one step = forward of both towers, the multi-positive contrastive loss, backward, AdamW.
 * The same step in PyTorch eager is {@code bench/cvlp_peer_pytorch.py}; {@code bench/run-cvlp.sh} runs both side by
 * side and prints the ratio. Random data (the loader is measured separately), batch 128, 28×28 grey images.
 */
@Command(name = "cvlp-throughput", mixinStandardHelpOptions = true,
        description = "Measures CVLP training steps per second (ResNet-20 + text MLP + contrastive loss + AdamW).")
public final class CvlpThroughput implements Callable<Integer> {

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Override
    public Integer call() throws Exception {
        Engine.getInstance().setRandomSeed(0);
        CvlpModel net = new CvlpModel(VisionEncoder.builder().build(), TextProjection.builder().build(),
                LogitScale.builder().build());
        MultiPositiveContrastiveLoss loss = MultiPositiveContrastiveLoss.builder().build();
        DecoupledAdamW adamw = DecoupledAdamW.builder().setLearningRate(() -> 5e-5).optWeightDecay(0.05).build();
        List<Double> times = new ArrayList<>();
        double last = Double.NaN;
        try (Model model = Model.newInstance("cvlp")) {
            model.setBlock(net);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adamw))) {
                trainer.initialize(new Shape(batch, 1, 28, 28), new Shape(batch, 384));
                NDManager root = trainer.getManager();
                for (int i = 0; i < warmup + steps; i++) {
                    try (NDManager step = root.newSubManager()) {
                        NDArray images = step.randomNormal(new Shape(batch, 1, 28, 28));
                        NDArray sentences = step.randomNormal(new Shape(batch, 384)).normalize(2, 1);
                        NDArray labels = step.randomInteger(0, 10, new Shape(batch), DataType.INT32);
                        long t0 = System.nanoTime();
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(new NDList(images, sentences));
                            NDArray l = loss.evaluate(new NDList(labels), pred);
                            gc.backward(l);
                            last = l.getFloat();
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
        out.put("impl", "djl-" + Engine.getInstance().getEngineName().toLowerCase() + "-" + Engine.getInstance().getVersion());
        out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", -1));
        out.put("batch", batch);
        out.put("steps", steps);
        out.put("median_step_ms", Math.round(median * 100) / 100.0);
        out.put("images_per_s", Math.round(batch / (median / 1000) * 10) / 10.0);
        out.put("final_loss", Math.round(last * 10000) / 10000.0);
        System.out.println(new ObjectMapper().writeValueAsString(out));
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CvlpThroughput()).execute(args));
    }
}
