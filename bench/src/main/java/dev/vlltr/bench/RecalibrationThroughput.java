package dev.vlltr.bench;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.calibrate.ClassifierRetrainer;
import dev.vlltr.core.calibrate.LabeledFeatures;
import dev.vlltr.core.calibrate.SgdSchedule;
import dev.vlltr.core.calibrate.SplitRole;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * cRT throughput: the recalibration stage's {@link ClassifierRetrainer} (a fresh linear classifier on frozen
 * features, mean CE by autograd, SGD momentum 0.9, wd 5e-4, Decoupling's {@code cls_crt.yaml}) for one epoch of
 * {@code --batches} batches of {@code --batch} rows; one harness step is one such epoch. The same loop in PyTorch
 * eager is {@code bench/recalibration_peer_pytorch.py}; {@code bench/run-recalibration.sh} runs both. Random
 * features (D = 128, C = 10) and fixed pre-drawn batches (the sampler is not what is measured).
 */
@Command(name = "recalibration-throughput", mixinStandardHelpOptions = true,
        description = "Measures cRT classifier re-training (SGD on features) rows per second.")
public final class RecalibrationThroughput implements Callable<Integer> {

    @Option(names = "--batch", defaultValue = "512", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--batches", defaultValue = "16", description = "Batches per epoch (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--classes", defaultValue = "10", description = "Classes C (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--dim", defaultValue = "128", description = "Feature dimension D (default: ${DEFAULT-VALUE}).")
    int dim;

    @CommandLine.Mixin
    SteadyClock clock = new SteadyClock();

    @Override
    public Integer call() throws Exception {
        Random rnd = new Random(0);
        int n = batch * batches;
        float[][] features = new float[n][dim];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < dim; k++) {
                features[i][k] = (float) rnd.nextGaussian();
            }
            labels[i] = rnd.nextInt(classes);
        }
        int[][] epoch = new int[batches][batch];
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < batch; i++) {
                epoch[b][i] = rnd.nextInt(n);
            }
        }
        LabeledFeatures train = new LabeledFeatures(features, labels, classes, SplitRole.TRAIN);
        ClassifierRetrainer crt = ClassifierRetrainer.builder().setBatchSource(e -> epoch)
                .optSchedule(SgdSchedule.crt().withEpochs(1)).build();
        double[] last = {Double.NaN};
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("impl", "djl-" + Engine.getInstance().getEngineName().toLowerCase() + "-" + Engine.getInstance().getVersion());
        out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", -1));
        out.put("batch", batch);
        out.put("batches_per_step", batches);
        out.putAll(clock.run(() -> last[0] = crt.train(train).history().meanLosses()[0]));
        double median = (Double) out.get("median_step_ms");
        out.put("images_per_s", Math.round((double) n / (median / 1000) * 10) / 10.0);
        out.put("final_loss", Math.round(last[0] * 10000) / 10000.0);
        System.out.println(new ObjectMapper().writeValueAsString(out));
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new RecalibrationThroughput()).execute(args));
    }
}
