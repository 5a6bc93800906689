package dev.vlltr.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.calibrate.BatchIndexSource;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.data.InstanceBalancedSampler;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.dataset.DatasetResolver;
import dev.vlltr.core.dataset.ImageTransform;
import dev.vlltr.core.dataset.LabelledImages;
import dev.vlltr.core.dataset.LoaderPosition;
import dev.vlltr.core.dataset.Problems;
import dev.vlltr.core.dataset.ResolvedDataset;
import dev.vlltr.core.dataset.StreamingLoader;
import dev.vlltr.runtime.store.ArtifactStores;
import dev.vlltr.runtime.testing.MinioServer;
import dev.vlltr.stagedata.DatasetLocation;
import dev.vlltr.stagedata.GeneratedDatasets;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real path end to end on a real MinIO server: a long-tailed Fashion-MNIST JPEG dataset (reversed class order) is
 * uploaded with {@code dataset upload}, checked from {@code s3://} with {@code dataset check}, and streamed from
 * {@code s3://} through the loader: identical batches in two runs, and a mid-epoch resume equal to the uninterrupted
 * run.
 */
class DatasetOnMinioTest {

    @TempDir
    static Path tmp;
    static MinioServer minio;
    static LongTailSplit split;
    static Path dataset;

    @BeforeAll
    static void start() throws Exception {
        dataset = tmp.resolve("fmnist-jpeg-lt");
        split = GeneratedDatasets.write(dataset);
        minio = MinioServer.start(tmp.resolve("minio"));
        minio.createBucket("datasets");
    }

    @AfterAll
    static void stop() throws Exception {
        if (minio != null) {
            minio.close();
        }
    }

    static ArtifactStores store() {
        return new ArtifactStores(minio.config());
    }

    record Run(int exit, String out, String err) {}

    static Run run(Object command, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        if (command instanceof CheckCommand c) {
            c.stores = DatasetOnMinioTest::store;
            c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
            c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        } else if (command instanceof UploadCommand u) {
            u.stores = DatasetOnMinioTest::store;
            u.out = new PrintStream(out, true, StandardCharsets.UTF_8);
            u.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        }
        int exit = new picocli.CommandLine(command).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static int fileCount() throws Exception {
        try (Stream<Path> s = Files.walk(dataset)) {
            return (int) s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void uploadIsVerifiedAndResumableThenCheckReadsEveryImageFromS3() throws Exception {
        int files = fileCount();
        Run first = run(new UploadCommand(), dataset.toString(), "s3://datasets/fmnist-jpeg-lt");
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().startsWith("uploaded " + files + " files"), first.out());
        Run again = run(new UploadCommand(), dataset.toString(), "s3://datasets/fmnist-jpeg-lt");
        assertTrue(again.out().startsWith("uploaded 0 files (0 bytes), " + files + " already there"), again.out());
        try (ArtifactStores s = store()) {
            String sums = new String(s.readAllBytes(URI.create("s3://datasets/fmnist-jpeg-lt/SHA256SUMS"), null),
                    StandardCharsets.UTF_8);
            assertEquals(files, sums.lines().count());
            assertTrue(sums.contains("  train.txt\n"), sums);
        }

        Path png = tmp.resolve("plots/counts.png");
        Run check = run(new CheckCommand(), "s3://datasets/fmnist-jpeg-lt/dataset.yaml", "--histogram",
                png.toString());
        assertEquals(0, check.exit(), check.err());
        int total = java.util.Arrays.stream(split.trainCounts()).sum();
        assertTrue(check.out().contains("dataset fmnist-jpeg-lt: 10 classes; train " + total + ", val 30, test 40"),
                check.out());
        assertTrue(check.out().contains("train: head 24, tail 3 images per class, imbalance factor 8.0"), check.out());
        assertTrue(check.out().contains("  9 24 Ankle boot") && check.out().contains("  0 3 T-shirt/top"),
                "reversed order: class 9 is the head\n" + check.out());
        assertTrue(check.err().contains("s3://datasets/fmnist-jpeg-lt/train.txt: " + total + " of " + total
                + " images decode"), check.err());
        byte[] head = Files.readAllBytes(png);
        assertEquals((byte) 0x89, head[0], "a PNG");
        assertEquals('P', head[1]);
    }

    List<FloatBatch> stream(LabelledImages train, dev.vlltr.core.dataset.DatasetFiles files, int workers,
            LoaderPosition from, int take) {
        BatchIndexSource batches = Batches.of(new InstanceBalancedSampler(train.size(), train.size(), 3), 8);
        List<FloatBatch> out = new ArrayList<>();
        try (StreamingLoader loader = StreamingLoader.builder().setImages(train).setFiles(files)
                .setTransform(ImageTransform.train(GeneratedDatasetsSpec.geometry())).setBatches(batches)
                .optSeed(5).optWorkers(workers).optPrefetch(2).build();
                StreamingLoader.Epoch epoch = loader.epoch(from)) {
            while (epoch.hasNext() && out.size() < take) {
                out.add(epoch.next());
            }
        }
        return out;
    }

    @Test
    void streamingFromS3IsDeterministicAndResumesMidEpochExactly() throws Exception {
        Run up = run(new UploadCommand(), dataset.toString(), "s3://datasets/stream");
        assertEquals(0, up.exit(), up.err());
        try (ArtifactStores s = store()) {
            DatasetLocation at = DatasetLocation.open("s3://datasets/stream/dataset.yaml", s);
            ResolvedDataset d = DatasetResolver.resolve(at.spec(), at.specUri().toString(), at.specFolder(),
                    at.images(), Problems.failFast());
            LabelledImages train = d.train();
            Path cache = tmp.resolve("cache");
            List<FloatBatch> first = stream(train, at.images(cache), 4, new LoaderPosition(1, 0), Integer.MAX_VALUE);
            assertTrue(Files.isRegularFile(cache.resolve(train.paths().get(first.get(0).indices()[0]))),
                    "downloaded objects land in the local cache");
            List<FloatBatch> second = stream(train, at.images(), 2, new LoaderPosition(1, 0), Integer.MAX_VALUE);
            assertEquals(train.size() / 8, first.size());
            for (int b = 0; b < first.size(); b++) {
                assertArrayEquals(first.get(b).images(), second.get(b).images(), "batch " + b);
                assertArrayEquals(first.get(b).labels(), second.get(b).labels());
            }
            // a run stopped after 3 batches, its position saved with the checkpoint, then resumed in a new loader
            List<FloatBatch> beforeCrash = stream(train, at.images(), 3, new LoaderPosition(1, 0), 3);
            Map<String, String> state = new LoaderPosition(1, beforeCrash.size()).toState();
            List<FloatBatch> resumed = stream(train, at.images(cache), 3, LoaderPosition.fromState(state, 0),
                    Integer.MAX_VALUE);
            assertEquals(first.size() - 3, resumed.size());
            for (int b = 0; b < resumed.size(); b++) {
                assertArrayEquals(first.get(b + 3).images(), resumed.get(b).images(), "batch " + (b + 3));
            }
        }
    }
}
