package dev.vlltr.runtime.tracking;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A separate writer process for the concurrency test: {@code <store root> <go file> <stage> <points>}. Waits for the go
 * file so that both processes create the experiment and the parent run at the same moment, then logs one stage run
 * and prints its run id.
 */
public final class LocalStoreWriterMain {
    private LocalStoreWriterMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Paths.get(args[0]);
        Path go = Paths.get(args[1]);
        String stage = args[2];
        int points = Integer.parseInt(args[3]);
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(go)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("no go file " + go);
            }
            Thread.sleep(2);
        }
        try (Tracker store = LocalMlflowStore.open(root, "writer-" + stage)) {
            TrackedRun run = store.startStageRun("vl-ltr-concurrent", "pipe-concurrent", stage);
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < 120; i++) {
                params.put("p" + i, stage + "-" + i);
            }
            run.logParams(params);
            for (int i = 0; i < points; i++) {
                run.logMetric("loss", stage.length() + i * 0.5, i, 1_790_000_000_000L + i);
            }
            run.end(RunStatus.FINISHED);
            System.out.println(run.runId());
        }
    }
}
