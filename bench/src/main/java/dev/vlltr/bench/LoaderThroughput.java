package dev.vlltr.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.data.InstanceBalancedSampler;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.ImageTransform;
import dev.vlltr.core.dataset.LabelledImages;
import dev.vlltr.core.dataset.ListFileReader;
import dev.vlltr.core.dataset.LoaderPosition;
import dev.vlltr.core.dataset.Problems;
import dev.vlltr.core.dataset.StreamingLoader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Decode + augment + batch throughput of the {@link StreamingLoader} on a list of JPEGs (bench/datasets/make_jpegs.py)
 * with the papers' training transform (RandomResizedCrop 224, flip, ColorJitter 0.4, Normalize): what
 * {@code bench/datasets/loader_peer_pytorch.py} measures for torch's DataLoader + PIL/torchvision. Images are read
 * from local files (the page cache after the warm-up epoch), as the peer does.
 */
@Command(name = "loader-throughput", mixinStandardHelpOptions = true,
        description = "Images per second of the streaming loader (decode + augment + batch).")
public final class LoaderThroughput implements Callable<Integer> {

    @Parameters(index = "0", description = "Folder with list.txt and the images")
    Path root;

    @Option(names = "--workers", defaultValue = "2", description = "Loader workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", defaultValue = "2", description = "Timed epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Override
    public Integer call() throws Exception {
        LabelledImages list;
        try (InputStream in = Files.newInputStream(root.resolve("list.txt"))) {
            list = ListFileReader.read(in, "list.txt", 10, Problems.failFast());
        }
        DatasetSpec.Geometry g = new DatasetSpec.Geometry(3, List.of(0.48145466, 0.4578275, 0.40821073),
                List.of(0.26862954, 0.26130258, 0.27577711),
                new DatasetSpec.TrainGeometry(new DatasetSpec.RandomResizedCrop(224, null, null), null, 0.5,
                        new DatasetSpec.ColorJitter(0.4, 0.4, 0.4, 0.0)),
                new DatasetSpec.EvalGeometry(256, 224));
        try (StreamingLoader loader = StreamingLoader.builder().setImages(list)
                .setFiles(name -> Files.newInputStream(root.resolve(name))).setTransform(ImageTransform.train(g))
                .setBatches(Batches.of(new InstanceBalancedSampler(list.size(), list.size(), 0), batch))
                .optWorkers(workers).optPrefetch(2).optSeed(0).build()) {
            drain(loader, 0); // warm-up: JIT, page cache
            long t0 = System.nanoTime();
            int n = 0;
            for (int e = 1; e <= epochs; e++) {
                n += drain(loader, e);
            }
            double dt = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("side", "java");
            out.put("images", n);
            out.put("seconds", dt);
            out.put("images_per_s", n / dt);
            out.put("workers", workers);
            out.put("batch", batch);
            System.out.println(new ObjectMapper().writeValueAsString(out));
        }
        return 0;
    }

    private static int drain(StreamingLoader loader, int epoch) {
        int n = 0;
        try (StreamingLoader.Epoch it = loader.epoch(new LoaderPosition(epoch, 0))) {
            while (it.hasNext()) {
                FloatBatch b = it.next();
                n += b.size();
            }
        }
        return n;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoaderThroughput()).execute(args));
    }
}
