package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST files (Debian package) and checks the known facts about them. */
class FashionMnistTest {

    @Test
    void classNamesInOfficialOrder() {
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot"), FashionMnist.CLASS_NAMES);
    }

    @Test
    void trainSplitMatchesKnownFacts() throws IOException {
        InMemoryImageDataset train = TestData.fashionMnistTrain();
        assertEquals(60000, train.size());
        assertEquals(List.of(1, 28, 28), List.of(train.channels(), train.height(), train.width()));
        assertEquals(9, train.label(0));
        assertEquals(0, train.label(1));
        assertEquals(0, train.label(2));
        int[] counts = new int[10];
        for (int label : train.labels()) {
            counts[label]++;
        }
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000}, counts);
        // Mean and std of all pixels on the [0, 1] scale, recomputed in double precision.
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < train.size(); i++) {
            for (byte b : train.pixels(i)) {
                double v = (b & 0xFF) / 255.0;
                sum += v;
                sumSq += v * v;
            }
        }
        double n = 60000.0 * 784;
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        assertEquals(FashionMnist.MEAN, mean, 5e-5);
        assertEquals(FashionMnist.STD, std, 5e-5);
    }

    @Test
    void testSplitIsBalancedAndRawFilesReadTheSame() throws IOException {
        InMemoryImageDataset test = TestData.fashionMnistTest();
        assertEquals(10000, test.size());
        int[] counts = new int[10];
        for (int label : test.labels()) {
            counts[label]++;
        }
        for (int c : counts) {
            assertEquals(1000, c);
        }
        // The same files uncompressed (magic-byte detection, not the file name).
        DataSource gunzipping = name -> new GZIPInputStream(Files.newInputStream(TestData.FMNIST_DIR.resolve(name)));
        InMemoryImageDataset raw = FashionMnist.load(gunzipping, FashionMnist.Split.TEST);
        assertArrayEquals(test.labels(), raw.labels());
        assertArrayEquals(test.pixels(9999), raw.pixels(9999));
        try (InputStream in = gunzipping.open(FashionMnist.Split.TEST.labelsFile())) {
            assertEquals(0, in.read()); // really raw IDX
        }
    }
}
