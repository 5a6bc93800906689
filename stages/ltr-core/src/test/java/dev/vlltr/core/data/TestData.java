package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/** Test helpers: data sources over a directory or a map, synthetic IDX bytes, the installed Fashion-MNIST. */
final class TestData {

    static final Path FMNIST_DIR = Path.of(FashionMnist.DEBIAN_DIRECTORY);

    private static InMemoryImageDataset fmnistTrain;
    private static InMemoryImageDataset fmnistTest;

    private TestData() {}

    /** A {@link DataSource} over a directory (the stage layer's job in production). */
    static DataSource directory(Path dir) {
        return name -> Files.newInputStream(dir.resolve(name));
    }

    /** A {@link DataSource} over in-memory files that counts opens. */
    static final class MapSource implements DataSource {
        final Map<String, byte[]> files = new HashMap<>();
        final AtomicInteger opens = new AtomicInteger();

        MapSource put(String name, byte[] content) {
            files.put(name, content);
            return this;
        }

        MapSource put(String name, String content) {
            return put(name, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public java.io.InputStream open(String name) throws IOException {
            opens.incrementAndGet();
            byte[] content = files.get(name);
            if (content == null) {
                throw new FileNotFoundException(name + " (no such file)");
            }
            return new ByteArrayInputStream(content);
        }
    }

    /** Raw IDX bytes: 00 00 dtype ndims, dims, data. */
    static byte[] idx(int dtype, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) dtype).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write(raw);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Skips (or fails under {@code vlltr.requireServers=true}) when the Debian Fashion-MNIST files are absent. */
    static void requireFashionMnist() {
        boolean present = Files.isReadable(FMNIST_DIR.resolve(FashionMnist.Split.TRAIN.imagesFile()))
                && Files.isReadable(FMNIST_DIR.resolve(FashionMnist.Split.TEST.labelsFile()));
        String message = "Fashion-MNIST not installed under " + FMNIST_DIR
                + " (apt-get install -y dataset-fashion-mnist)";
        if (!present && Boolean.getBoolean("vlltr.requireServers")) {
            fail(message + " and vlltr.requireServers=true");
        }
        assumeTrue(present, message + "; skipping");
    }

    /** The train split, loaded once per test JVM (about 0.3 s). */
    static synchronized InMemoryImageDataset fashionMnistTrain() throws IOException {
        requireFashionMnist();
        if (fmnistTrain == null) {
            fmnistTrain = FashionMnist.load(directory(FMNIST_DIR), FashionMnist.Split.TRAIN);
        }
        return fmnistTrain;
    }

    static synchronized InMemoryImageDataset fashionMnistTest() throws IOException {
        requireFashionMnist();
        if (fmnistTest == null) {
            fmnistTest = FashionMnist.load(directory(FMNIST_DIR), FashionMnist.Split.TEST);
        }
        return fmnistTest;
    }

    /** Labels with the given number of images per class, interleaved (not grouped) so grouping bugs show. */
    static int[] labelsWithCounts(int... counts) {
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        int[] labels = new int[total];
        int[] left = counts.clone();
        int i = 0;
        while (i < total) {
            for (int c = 0; c < counts.length; c++) {
                if (left[c] > 0) {
                    labels[i++] = c;
                    left[c]--;
                }
            }
        }
        return labels;
    }
}
