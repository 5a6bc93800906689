package dev.vlltr.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vlltr.core.calibrate.BatchIndexSource;
import dev.vlltr.core.data.Batches;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.data.InstanceBalancedSampler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingLoaderTest {

    static final String GEOMETRY = """
            name: stream
            classes: {names: [a, b, c]}
            splits:
              train: {format: list, file: train.txt}
              val: {format: list, file: train.txt}
              test: {format: list, file: train.txt}
            geometry:
              channels: 3
              mean: [0.5, 0.4, 0.3]
              std: [0.2, 0.2, 0.2]
              train:
                randomResizedCrop: {size: 16, scale: [0.08, 1.0]}
                flip: 0.5
                colorJitter: {brightness: 0.4, contrast: 0.4, saturation: 0.4}
              eval: {resize: 20, centerCrop: 16}
            """;

    @TempDir
    Path dir;
    DatasetSpec spec;
    LabelledImages train;

    @BeforeEach
    void generate() throws IOException {
        JpegFixtures.writeList(dir, "train.txt", new int[] {12, 6, 3}, 40, 30);
        spec = DatasetSpecReaderTest.parse(GEOMETRY);
        train = DatasetResolver.resolve(spec, "dataset.yaml", new FolderFiles(dir), new FolderFiles(dir),
                Problems.failFast()).train();
    }

    StreamingLoader loader(int workers, ImageTransform transform) {
        return loader(workers, transform, Batches.of(new InstanceBalancedSampler(train.size(), train.size(), 7), 4));
    }

    StreamingLoader loader(int workers, ImageTransform transform, BatchIndexSource batches) {
        return StreamingLoader.builder().setImages(train).setFiles(new FolderFiles(dir)).setTransform(transform)
                .setBatches(batches).optSeed(11).optWorkers(workers).optPrefetch(2).build();
    }

    static List<FloatBatch> drain(StreamingLoader.Epoch epoch) {
        List<FloatBatch> out = new ArrayList<>();
        while (epoch.hasNext()) {
            out.add(epoch.next());
        }
        return out;
    }

    @Test
    void sameSeedAndEpochGiveIdenticalBatchesForAnyWorkerCount() {
        List<FloatBatch> one;
        List<FloatBatch> three;
        List<FloatBatch> nextEpoch;
        try (StreamingLoader a = loader(1, ImageTransform.train(spec.geometry()));
                StreamingLoader b = loader(3, ImageTransform.train(spec.geometry()))) {
            one = drain(a.epoch(0));
            three = drain(b.epoch(0));
            nextEpoch = drain(b.epoch(1));
        }
        assertEquals(5, one.size(), "floor(21 / 4) full batches");
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i).indices(), three.get(i).indices());
            assertArrayEquals(one.get(i).images(), three.get(i).images(), "batch " + i);
            assertArrayEquals(one.get(i).labels(), three.get(i).labels());
        }
        assertNotEquals(java.util.Arrays.hashCode(one.get(0).images()),
                java.util.Arrays.hashCode(nextEpoch.get(0).images()), "a new epoch draws new augmentations");
    }

    @Test
    void resumingMidEpochYieldsExactlyTheRemainingBatches() {
        List<FloatBatch> full;
        Map<String, String> checkpointState;
        List<FloatBatch> resumed;
        try (StreamingLoader a = loader(2, ImageTransform.train(spec.geometry()))) {
            full = drain(a.epoch(0));
            StreamingLoader.Epoch interrupted = a.epoch(0);
            interrupted.next();
            interrupted.next();
            checkpointState = interrupted.position().toState();
            interrupted.close();
        }
        assertEquals(Map.of("data.epoch", "0", "data.batch", "2"), checkpointState);
        try (StreamingLoader b = loader(2, ImageTransform.train(spec.geometry()))) {
            resumed = drain(b.epoch(LoaderPosition.fromState(checkpointState, 0)));
        }
        assertEquals(full.size() - 2, resumed.size());
        for (int i = 0; i < resumed.size(); i++) {
            assertEquals(full.get(i + 2).index(), resumed.get(i).index());
            assertArrayEquals(full.get(i + 2).images(), resumed.get(i).images(), "batch " + (i + 2));
        }
    }

    @Test
    void batchesBecomeNormalisedNchwFloatArrays() {
        try (StreamingLoader a = loader(2, ImageTransform.eval(spec.geometry()));
                NDManager manager = NDManager.newBaseManager()) {
            FloatBatch batch = a.epoch(0).next();
            NDList list = batch.toNDList(manager);
            NDArray images = list.get(0);
            assertEquals(new Shape(4, 3, 16, 16), images.getShape());
            assertEquals(DataType.FLOAT32, images.getDataType());
            float[] v = images.toFloatArray();
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float f : v) {
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
            // normalised: (x - mean) / 0.2 with x in [0, 1] lies in [-2.5, 3.5]
            assertTrue(min >= -2.5f - 1e-4 && max <= 3.5f + 1e-4 && min < 0 && max > 0.5, min + " .. " + max);
        }
    }

    @Test
    void evalTransformMatchesResizeThenCentreCropOfAFlatImage() throws IOException {
        // a uniform image stays uniform through any resampling: checks geometry bookkeeping and normalisation
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(50, 30,
                java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 50; x++) {
                img.setRGB(x, y, (128 << 16) | (64 << 8) | 32);
            }
        }
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", png);
        float[] out = new float[3 * 16 * 16];
        ImageTransform.eval(spec.geometry()).apply(png.toByteArray(), "flat.png", new Random(0), out, 0);
        assertEquals((128 / 255f - 0.5f) / 0.2f, out[0], 1e-5);
        assertEquals((64 / 255f - 0.4f) / 0.2f, out[256 + 100], 1e-5);
        assertEquals((32 / 255f - 0.3f) / 0.2f, out[512 + 255], 1e-5);
    }

    @Test
    void aCorruptJpegFailsNamingListFileAndLine() throws IOException {
        byte[] good = Files.readAllBytes(dir.resolve("images/c0/3.jpg"));
        // cut inside the entropy-coded scan: ImageIO alone would return a half-grey image with only a warning
        Files.write(dir.resolve("images/c0/3.jpg"), java.util.Arrays.copyOf(good, good.length * 2 / 3));
        DatasetSpecException e = assertThrows(DatasetSpecException.class, () -> {
            try (StreamingLoader a = loader(2, ImageTransform.eval(spec.geometry()), epoch -> new int[][] {{0, 1, 2, 3}})) {
                drain(a.epoch(0));
            }
        });
        assertTrue(e.getMessage().contains("train.txt line 4: image 'images/c0/3.jpg': field 'image'"), e.getMessage());
        Problems p = Problems.collecting(10);
        Files.delete(dir.resolve("images/c1/0.jpg"));
        int ok;
        try {
            ok = ImageCheck.run(train, new FolderFiles(dir), 2, p);
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
        assertEquals(train.size() - 2, ok);
        String all = p.kept().toString();
        assertTrue(all.contains("train.txt line 4: field 'image' 'images/c0/3.jpg' (" + good.length * 2 / 3
                + " bytes) is not a decodable"), all);
        assertTrue(all.contains("train.txt line 13: field 'path' 'images/c1/0.jpg' does not exist"), all);
    }

    @Test
    void theLoaderReadsEachImageOnlyThroughTheSource() throws IOException {
        List<String> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        DatasetFiles files = new FolderFiles(dir);
        BatchIndexSource batches = epoch -> new int[][] {{0, 20}};
        try (StreamingLoader a = StreamingLoader.builder().setImages(train).setFiles(name -> {
            opened.add(name);
            InputStream in = files.open(name);
            return in;
        }).setTransform(ImageTransform.eval(spec.geometry())).setBatches(batches).build()) {
            FloatBatch b = a.epoch(0).next();
            assertArrayEquals(new int[] {0, 2}, b.labels());
        }
        assertEquals(List.of("images/c0/0.jpg", "images/c2/2.jpg"), opened.stream().sorted().toList());
    }
}
