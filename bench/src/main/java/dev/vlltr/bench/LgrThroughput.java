package dev.vlltr.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.model.LgrHead;
import dev.vlltr.core.train.CosineWarmupSchedule;
import dev.vlltr.core.train.LgrTrainer;
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
 * LGR training throughput of the stage's own step on frozen features ({@link LgrTrainer}, {@code input=features}):
 * the {@link LgrHead} (LN + W_q/W_k attention over the class text memory, P^T, the visual MLP P^I), plain CE on
 * both branches (the stage's default, the official loss), DecoupledAdamW with the attention group at its own learning rate. The same step in PyTorch eager
 * is {@code bench/lgr_peer_pytorch.py}; {@code bench/run-lgr.sh} runs both through the harness. Random features and
 * text memory (C = 10 classes, M = 64 anchors, D = 128, batch 128: the fmnist-lt defaults).
 */
@Command(name = "lgr-throughput", mixinStandardHelpOptions = true,
        description = "Measures LGR head training steps per second on features.")
public final class LgrThroughput implements Callable<Integer> {

    @Option(names = "--batch", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--classes", defaultValue = "10", description = "Classes C (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--anchors", defaultValue = "64", description = "Anchor sentences M per class (default: ${DEFAULT-VALUE}).")
    int anchors;

    @Option(names = "--dim", defaultValue = "128", description = "Feature dimension D (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--label-smoothing", defaultValue = "0.0",
            description = "Label smoothing of both CEs, as the peer's (default: ${DEFAULT-VALUE}).")
    double smoothing;

    @Option(names = "--native-profile", description = "After the timed steps, run --steps more under libtorch's "
            + "autograd profiler and write its Chrome trace here (summarise with bench/lib/trace_summary.py).")
    String nativeProfile;

    @Option(names = "--digest-steps", defaultValue = "0", description = "Instead of timing, train this many steps and "
            + "print a SHA-256 of the parameters and the losses (to show that two builds compute bit-identical steps).")
    int digestSteps;

    @Option(names = "--count-objects", description = "After the timed steps, count the Java objects of a few classes "
            + "created per step (class histograms of all objects, dead ones included, before and after --steps steps; "
            + "run with -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC so that none is collected in between): each "
            + "PtNDArray is one JNI call returning an array, each DirectByteBuffer one array made from Java data.")
    boolean countObjects;

    @CommandLine.Mixin
    SteadyClock clock = new SteadyClock();

    /** {@code -Dvlltr.bench.fusedAdamW=true}: AdamW as one native call per parameter (a before/after switch). */
    static final boolean FUSED_ADAMW = Boolean.getBoolean("vlltr.bench.fusedAdamW");

    @Override
    public Integer call() throws Exception {
        Engine.getInstance().setRandomSeed(0);
        Random rnd = new Random(0);
        float[] memory = new float[classes * anchors * dim];
        for (int i = 0; i < memory.length; i++) {
            memory[i] = (float) rnd.nextGaussian();
        }
        int[] counts = new int[classes];
        java.util.Arrays.fill(counts, anchors);
        LgrHead head = LgrHead.builder().setTextMemory(memory, classes, anchors, dim).setSentenceCounts(counts)
                .setLogitScale(Math.log(1 / 0.07)).build();
        int rows = 8 * batch;
        float[][] features = new float[rows][dim];
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < dim; k++) {
                features[i][k] = (float) rnd.nextGaussian();
            }
            labels[i] = rnd.nextInt(classes);
        }
        List<FloatBatch> batches = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            int[] idx = new int[batch];
            for (int i = 0; i < batch; i++) {
                idx[i] = b * batch + i;
            }
            batches.add(LgrTrainer.featureBatch(b, features, labels, idx));
        }
        double[] last = {Double.NaN};
        int[] next = {0};
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("impl", "djl-" + Engine.getInstance().getEngineName().toLowerCase() + "-" + Engine.getInstance().getVersion());
        out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", -1));
        out.put("batch", batch);
        out.put("adamw", FUSED_ADAMW ? "fused" : "op-chain");
        try (LgrTrainer trainer = LgrTrainer.builder().setHead(head).setInputShape(new Shape(dim))
                .setSchedule(new CosineWarmupSchedule(1e-3, 1, 0, 0, 1e-3)).optAttentionLr(1e-6)
                .optWeightDecay(0.05).optLabelSmoothing(smoothing)
                .optFusedAdamW(FUSED_ADAMW).build()) {
            if (digestSteps > 0) {
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                java.nio.ByteBuffer loss = java.nio.ByteBuffer.allocate(8);
                for (int i = 0; i < digestSteps; i++) {
                    loss.clear();
                    loss.putDouble(trainer.trainEpoch(0, List.of(batches.get(i % batches.size())).iterator()).loss());
                    sha.update(loss.array());
                }
                for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : head.getParameters()) {
                    for (float v : p.getValue().getArray().toFloatArray()) {
                        int bits = Float.floatToRawIntBits(v);
                        sha.update(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8),
                            (byte) bits});
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
            out.put("java_bytes_per_step", allocatedPerStep(() -> {
                FloatBatch b = batches.get(next[0]++ % batches.size());
                trainer.trainEpoch(0, List.of(b).iterator());
            }, clock.steps));
            if (countObjects) {
                Map<String, Long> before = histogram();
                for (int i = 0; i < clock.steps; i++) {
                    trainer.trainEpoch(0, List.of(batches.get(i % batches.size())).iterator());
                }
                Map<String, Long> after = histogram();
                Map<String, Double> perStep = new LinkedHashMap<>();
                for (String c : after.keySet()) {
                    perStep.put(c, (after.get(c) - before.getOrDefault(c, 0L)) / (double) clock.steps);
                }
                out.put("objects_per_step", perStep);
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

    /** Instances (live and dead) of the counted classes, from {@code jcmd GC.class_histogram -all}. */
    static Map<String, Long> histogram() throws Exception {
        Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram",
                "-all").redirectErrorStream(true).start();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String c : List.of("ai.djl.pytorch.engine.PtNDArray", "java.nio.DirectByteBuffer", "Total")) {
            counts.put(c, 0L);
        }
        try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.trim().split("\\s+");
                // "num: instances bytes class (module)" or "Total instances bytes"
                if (f.length >= 3 && f[0].equals("Total")) {
                    counts.put("Total", Long.parseLong(f[1]));
                } else if (f.length >= 4 && counts.containsKey(f[3])) {
                    counts.put(f[3], Long.parseLong(f[1]));
                }
            }
        }
        p.waitFor();
        return counts;
    }

    /** Java heap bytes the main thread allocates per step (load-independent, unlike times). */
    static long allocatedPerStep(SteadyClock.Step step, int steps) throws Exception {
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        return (mx.getThreadAllocatedBytes(id) - before) / steps;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LgrThroughput()).execute(args));
    }
}
