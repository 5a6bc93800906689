package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Reads the installed official files; reference values from an independent Python gzip reader. */
class FashionMnistTest {

    @Test
    void trainSplitMatchesTheOfficialRelease() throws IOException {
        ImageDataset train = TestData.fashionMnistTrain();
        assertEquals(60_000, train.size());
        assertEquals(1, train.channels());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        int[] counts = new int[10];
        Arrays.fill(counts, 6000);
        assertArrayEquals(counts, train.classCounts());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(train.labels(), 10));
        assertEquals("Ankle boot", train.classNames().get(train.label(0)));
        int sum = 0;
        for (byte b : train.imageBytes(0)) {
            sum += b & 0xff;
        }
        assertEquals(76_247, sum);
        assertEquals(184, train.pixel(5, 0, 14, 14));
        // the normalisation constants are the train set's statistics
        double s = 0;
        double s2 = 0;
        long n = (long) train.size() * 784;
        for (int i = 0; i < train.size(); i++) {
            for (byte b : train.imageBytes(i)) {
                double v = (b & 0xff) / 255.0;
                s += v;
                s2 += v * v;
            }
        }
        double mean = s / n;
        assertEquals(FashionMnist.MEAN, mean, 5e-5);
        assertEquals(FashionMnist.STD, Math.sqrt(s2 / n - mean * mean), 5e-4);
    }

    @Test
    void testSplitHasThousandPerClass() throws IOException {
        ImageDataset test = FashionMnist.load(TestData.fashionMnistOrSkip(), FashionMnist.Split.TEST);
        assertEquals(10_000, test.size());
        int[] counts = new int[10];
        Arrays.fill(counts, 1000);
        assertArrayEquals(counts, test.classCounts());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(test.labels(), 10));
        assertEquals("T-shirt/top", test.classNames().get(0));
        assertEquals("Ankle boot", test.classNames().get(9));
    }
}
