package dev.vlltr.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.LogitScale;
import dev.vlltr.core.model.TextProjection;
import dev.vlltr.core.model.VisionEncoder;
import dev.vlltr.core.train.ClassSentences;
import dev.vlltr.core.train.CosineWarmupSchedule;
import dev.vlltr.core.train.CvlpTrainer;
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
 * CVLP training throughput of the stage's own step ({@link CvlpTrainer}): per-class sentence draw, forward of both
 * towers, CvlpLoss (= the multi-positive contrastive loss without a teacher), backward, DecoupledAdamW.
 * The same step in PyTorch eager is {@code bench/cvlp_peer_pytorch.py}; {@code bench/run-cvlp.sh} runs both side by
 * side through the harness ({@code bench/lib/harness.sh}) and prints the ratio. Random data (the loader is measured
 * separately), batch 128, 28×28 grey images; warm-up until steady ({@link SteadyClock}).
 */
@Command(name = "cvlp-throughput", mixinStandardHelpOptions = true,
        description = "Measures CVLP training steps per second (ResNet-20 + text MLP + contrastive loss + AdamW).")
public final class CvlpThroughput implements Callable<Integer> {

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--digest-steps", defaultValue = "0", description = "Instead of timing, train this many steps and "
            + "print a SHA-256 of the losses and parameters (see LgrThroughput --digest-steps).")
    int digestSteps;

    @Option(names = "--count-objects", description = "After the timed steps, count the Java objects created per step "
            + "over --steps more (see LgrThroughput --count-objects; run with -XX:+UseEpsilonGC).")
    boolean countObjects;

    @Option(names = "--native-profile", description = "After the timed steps, run --steps more under libtorch's "
            + "autograd profiler and write its Chrome trace here (summarise with bench/lib/trace_summary.py).")
    String nativeProfile;

    @CommandLine.Mixin
    SteadyClock clock = new SteadyClock();

    @Option(names = "--depth", defaultValue = "20", description = "ResNet depth (default: ${DEFAULT-VALUE}).")
    int depth;

    /** {@code -Dvlltr.bench.fusedAdamW=true}: AdamW as one native call per parameter (a before/after switch). */
    static final boolean FUSED_ADAMW = Boolean.getBoolean("vlltr.bench.fusedAdamW");

    @Override
    public Integer call() throws Exception {
        Engine.getInstance().setRandomSeed(0);
        CvlpModel net = new CvlpModel(VisionEncoder.builder().optDepth(depth).build(), TextProjection.builder().build(),
                LogitScale.builder().build());
        // the stage's training step: one sentence per image drawn from its class, CvlpLoss (λ = 1 without teacher),
        // DecoupledAdamW with timm's decay groups (θ decayed), constant lr 5e-5
        Random rnd = new Random(0);
        int sentences = 1000;
        float[][] table = new float[sentences][384];
        int[] sentenceLabels = new int[sentences];
        for (int i = 0; i < sentences; i++) {
            double n = 0;
            for (int k = 0; k < 384; k++) {
                table[i][k] = (float) rnd.nextGaussian();
                n += table[i][k] * table[i][k];
            }
            for (int k = 0; k < 384; k++) {
                table[i][k] /= (float) Math.sqrt(n);
            }
            sentenceLabels[i] = i % 10;
        }
        // a few batches made before timing (the loader is measured separately); the step cycles through them
        List<FloatBatch> batches = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            float[] images = new float[batch * 28 * 28];
            for (int k = 0; k < images.length; k++) {
                images[k] = (float) rnd.nextGaussian();
            }
            int[] labels = new int[batch];
            for (int k = 0; k < batch; k++) {
                labels[k] = rnd.nextInt(10);
            }
            batches.add(new FloatBatch(i, images, labels, new int[batch], 1, 28, 28));
        }
        double[] last = {Double.NaN};
        int[] next = {0};
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("impl", "djl-" + Engine.getInstance().getEngineName().toLowerCase() + "-" + Engine.getInstance().getVersion());
        out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", -1));
        out.put("batch", batch);
        out.put("adamw", FUSED_ADAMW ? "fused" : "op-chain");
        out.put("depth", depth);
        try (CvlpTrainer trainer = CvlpTrainer.builder().setModel(net).setImageShape(new Shape(1, 28, 28))
                .setTextInputs(table, false).setSentences(new ClassSentences(sentenceLabels, 10))
                .setSchedule(new CosineWarmupSchedule(5e-5, 1, 0, 0, 5e-5)).optWeightDecay(0.05)
                .optFusedAdamW(FUSED_ADAMW).build()) {
            if (digestSteps > 0) {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                for (int i = 0; i < digestSteps; i++) {
                    double loss = trainer.trainEpoch(0, List.of(batches.get(i % batches.size())).iterator()).loss();
                    sha.update(java.nio.ByteBuffer.allocate(8).putDouble(loss).array());
                }
                for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : net.getParameters()) {
                    for (float v : p.getValue().getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                            .toFloatArray()) {
                        sha.update(java.nio.ByteBuffer.allocate(4).putInt(Float.floatToRawIntBits(v)).array());
                    }
                }
                System.out.println("{\"digest_steps\":" + digestSteps + ",\"sha256\":\""
                        + java.util.HexFormat.of().formatHex(sha.digest()) + "\"}");
                return 0;
            }
            out.putAll(clock.run(() -> {
                FloatBatch b = batches.get(next[0]++ % batches.size());
                last[0] = trainer.trainEpoch(0, List.of(b).iterator()).loss();
            }));
            if (countObjects) {
                Map<String, Long> before = LgrThroughput.histogram();
                long bytes = LgrThroughput.allocatedPerStep(() -> {
                    FloatBatch b = batches.get(next[0]++ % batches.size());
                    trainer.trainEpoch(0, List.of(b).iterator());
                }, clock.steps);
                Map<String, Long> after = LgrThroughput.histogram();
                Map<String, Double> perStep = new LinkedHashMap<>();
                for (String c : after.keySet()) {
                    perStep.put(c, (after.get(c) - before.getOrDefault(c, 0L)) / (double) clock.steps);
                }
                out.put("objects_per_step", perStep);
                out.put("java_bytes_per_step", bytes);
            }
            if (nativeProfile != null) {
                // the same profiler torch.profiler drives on the peer side, inside the same libtorch
                JniUtils.startProfile(false, Boolean.getBoolean("vlltr.bench.recordShapes"), false);
                for (int i = 0; i < clock.steps; i++) {
                    trainer.trainEpoch(0, List.of(batches.get(i % batches.size())).iterator());
                }
                JniUtils.stopProfile(nativeProfile);
                out.put("native_profile", nativeProfile);
            }
        }
        double median = (Double) out.get("median_step_ms");
        out.put("images_per_s", Math.round(batch / (median / 1000) * 10) / 10.0);
        out.put("final_loss", Math.round(last[0] * 10000) / 10000.0);
        System.out.println(new ObjectMapper().writeValueAsString(out));
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CvlpThroughput()).execute(args));
    }
}
