package dev.vlltr.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlltr.core.data.ClassOrder;
import dev.vlltr.core.data.DataSource;
import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.data.FmnistBenchmarks;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.train.LongTailData;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped Fashion-MNIST specs reproduce the old benchmark enum's splits ({@link FmnistBenchmarks}) exactly: same counts (pinned here) and the
 * same train and val indices, drawn from the real Fashion-MNIST labels of the Debian package.
 */
class FashionMnistSpecTest {

    static ResolvedDataset resolve(String name) throws IOException {
        Path specDir = FolderFiles.repositoryDatasets().resolve(name);
        DatasetSpec spec;
        try (InputStream in = Files.newInputStream(specDir.resolve("dataset.yaml"))) {
            spec = DatasetSpecReader.read(in, name + "/dataset.yaml");
        }
        Path images = Path.of(URI.create(spec.images()));
        if (!Files.isRegularFile(images.resolve("train-labels-idx1-ubyte.gz"))) {
            String msg = "Fashion-MNIST not installed at " + images + " (apt-get install dataset-fashion-mnist)";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
        return DatasetResolver.resolve(spec, name, new FolderFiles(specDir), new FolderFiles(images),
                Problems.failFast());
    }

    static void assertSameAsEnum(String name, int[] pinnedTrainCounts, int valPerClass) throws IOException {
        ResolvedDataset d = resolve(name);
        LongTailSplit fromSpec = d.longTailSplit();
        LongTailSplit fromEnum = FmnistBenchmarks.byName(name).splitter().optSeed(0)
                .optClassOrder(ClassOrder.natural()).build().split(d.sourceTrain().labels(), "fashion-mnist/train");
        assertArrayEquals(pinnedTrainCounts, fromSpec.trainCounts(), name + " train counts");
        assertArrayEquals(fromEnum.trainCounts(), fromSpec.trainCounts(), name);
        assertArrayEquals(fromEnum.profileCounts(), fromSpec.profileCounts(), name);
        assertArrayEquals(fromEnum.classByRank(), fromSpec.classByRank(), name);
        assertArrayEquals(fromEnum.trainIndices(), fromSpec.trainIndices(), name + " train indices");
        assertArrayEquals(fromEnum.valIndices(), fromSpec.valIndices(), name + " val indices");
        assertEquals(name, fromSpec.benchmark());
        assertEquals(Arrays.stream(pinnedTrainCounts).sum(), d.train().size());
        assertEquals(valPerClass * 10, d.val().size());
        assertEquals(10_000, d.test().size(), "the official test split");
        for (int c = 0; c < 10; c++) {
            assertEquals(valPerClass, d.val().classCounts()[c]);
        }
    }

    @Test
    void if100SpecDrawsTheEnumsSplit() throws IOException {
        // head capped at 5980 so that 20 of its 6000 images remain for validation
        assertSameAsEnum("fmnist-lt-if100", new int[] {5980, 3596, 2156, 1292, 774, 464, 278, 166, 100, 60}, 20);
    }

    @Test
    void fewshotSpecDrawsTheEnumsSplit() throws IOException {
        assertSameAsEnum("fmnist-lt-fewshot", new int[] {1000, 599, 359, 215, 129, 77, 46, 27, 16, 10}, 20);
    }

    @Test
    void quickSpecDrawsTheEnumsSplit() throws IOException {
        assertSameAsEnum("fmnist-lt-quick", new int[] {300, 232, 179, 139, 107, 83, 64, 50, 38, 30}, 10);
    }

    @Test
    void inMemoryPathGivesTheSameImagesAsTodaysFashionMnistLoader() throws IOException {
        ResolvedDataset d = resolve("fmnist-lt-quick");
        Path images = Path.of(URI.create(d.spec().images()));
        LongTailData fromSpec = InMemorySplits.load(d, name -> Files.newInputStream(images.resolve(name)));
        DataSource gz = name -> Files.newInputStream(images.resolve(name + ".gz"));
        ImageDataset full = FashionMnist.load(gz, FashionMnist.Split.TRAIN);
        LongTailSplit enumSplit = FmnistBenchmarks.FMNIST_LT_QUICK.splitter().optSeed(0)
                .optClassOrder(ClassOrder.natural()).build().split(full);
        LongTailData today = new LongTailData(enumSplit.trainSet(full), enumSplit.valSet(full),
                FashionMnist.load(gz, FashionMnist.Split.TEST), enumSplit);
        assertEquals(today.train().size(), fromSpec.train().size());
        assertArrayEquals(today.train().labels(), fromSpec.train().labels());
        assertArrayEquals(today.val().labels(), fromSpec.val().labels());
        assertArrayEquals(today.test().labels(), fromSpec.test().labels());
        for (int i : new int[] {0, 1, 500, today.train().size() - 1}) {
            assertArrayEquals(today.train().imageBytes(i), fromSpec.train().imageBytes(i), "train image " + i);
        }
        assertArrayEquals(today.val().imageBytes(99), fromSpec.val().imageBytes(99));
        assertArrayEquals(today.test().imageBytes(9999), fromSpec.test().imageBytes(9999));
        assertEquals(today.train().classNames(), fromSpec.train().classNames());
    }

    @Test
    void reversedClassOrderMakesTheLastClassTheHead() throws IOException {
        ResolvedDataset natural = resolve("fmnist-lt-quick");
        DatasetSpec.LongTail lt = natural.spec().longTail();
        DatasetSpec reversedSpec = new DatasetSpec(natural.spec().name(), null, natural.spec().classes(),
                natural.spec().images(), natural.spec().splits(), natural.spec().geometry(), null,
                new DatasetSpec.LongTail(lt.maxPerClass(), lt.imbalanceFactor(), "reversed", lt.seed(),
                        lt.valPerClass()), null);
        LongTailSplit reversed = SpecLongTail.split(reversedSpec, 10, natural.sourceTrain().labels(), "x");
        assertArrayEquals(new int[] {30, 38, 50, 64, 83, 107, 139, 179, 232, 300}, reversed.trainCounts());
    }
}
