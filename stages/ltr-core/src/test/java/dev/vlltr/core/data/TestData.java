package dev.vlltr.core.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;

/** Test helpers: synthetic IDX bytes and the installed Fashion-MNIST files (skipped when absent). */
final class TestData {

    static final Path FMNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private TestData() {
    }

    /** IDX bytes with the given dtype, dims and data. */
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

    /** An opener on the installed Fashion-MNIST gz files; skips the test (or fails under requireServers) if absent. */
    static DataSource fashionMnistOrSkip() {
        boolean present = Files.isRegularFile(FMNIST_DIR.resolve("train-images-idx3-ubyte.gz"));
        if (!present) {
            String msg = "Fashion-MNIST not installed at " + FMNIST_DIR + " (apt-get install dataset-fashion-mnist)";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
        return name -> {
            InputStream in = Files.newInputStream(FMNIST_DIR.resolve(name + ".gz"));
            return in;
        };
    }

    private static ImageDataset train;

    /** The train split, loaded once per JVM (about half a second). */
    static synchronized ImageDataset fashionMnistTrain() throws IOException {
        DataSource source = fashionMnistOrSkip();
        if (train == null) {
            train = FashionMnist.load(source, FashionMnist.Split.TRAIN);
        }
        return train;
    }
}
