package dev.vlltr.stagedata;

import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.SpecLongTail;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;

/**
 * Test data: a long-tailed JPEG dataset in ImageNet-LT list layout made from real Fashion-MNIST images (Debian's
 * dataset-fashion-mnist), rendered as 32×32 RGB JPEGs, with the classes in reversed order (class 9 is the head).
 * Shared by the dataset tools', the stages' and the local runner's tests (test-jar of stage-data).
 */
public final class GeneratedDatasets {

    public static final Path FMNIST = Path.of("/usr/share/datasets/fashion-mnist");

    private GeneratedDatasets() {
    }

    /** The spec: streaming geometry (random-resized crop, colour jitter). */
    public static final String SPEC = """
            name: fmnist-jpeg-lt
            description: Fashion-MNIST as RGB JPEGs, long-tailed with reversed class order (test fixture)
            classes: {file: classes.txt}
            splits:
              train: {format: list, file: train.txt}
              val: {format: list, file: val.txt}
              test: {format: list, file: test.txt}
            geometry:
              channels: 3
              mean: [0.2860, 0.2860, 0.2860]
              std: [0.3530, 0.3530, 0.3530]
              train: {randomResizedCrop: {size: 28, scale: [0.5, 1.0]}, flip: 0.5, colorJitter: {brightness: 0.2}}
              eval: {resize: 32, centerCrop: 28}
            """;

    /** The same dataset with the in-memory geometry: images at their own 32×32, random crop with padding and flip. */
    public static final String SPEC_IN_MEMORY = SPEC.replace(
            "train: {randomResizedCrop: {size: 28, scale: [0.5, 1.0]}, flip: 0.5, colorJitter: {brightness: 0.2}}",
            "train: {randomCrop: {padding: 4}, flip: 0.5}").replace("eval: {resize: 32, centerCrop: 28}",
            "eval: {resize: 32, centerCrop: 32}");

    private static ImageDataset train;

    /** Loaded once per test JVM. */
    public static synchronized ImageDataset fashionMnistTrain() throws IOException {
        if (train != null) {
            return train;
        }
        if (!Files.isRegularFile(FMNIST.resolve("train-images-idx3-ubyte.gz"))) {
            String msg = "Fashion-MNIST not installed at " + FMNIST + " (apt-get install dataset-fashion-mnist)";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
        train = FashionMnist.load(name -> new GZIPInputStream(Files.newInputStream(FMNIST.resolve(name + ".gz"))),
                FashionMnist.Split.TRAIN);
        return train;
    }

    /**
     * Writes the dataset folder: dataset.yaml, classes.txt, train/val/test lists and images/ JPEGs. Train is drawn
     * with n_max 24, IF 8, reversed order; val 3 per class; test 4 per class from images unused by train and val.
     *
     * @return the train split record (reversed order: class 9 has 24 images, class 0 has 3)
     */
    public static LongTailSplit write(Path root) throws IOException {
        return write(root, SPEC);
    }

    /** {@link #write(Path)} with another {@code dataset.yaml} (e.g. {@link #SPEC_IN_MEMORY}). */
    public static LongTailSplit write(Path root, String specYaml) throws IOException {
        return write(root, specYaml, 24, 8.0, 3, 4);
    }

    /**
     * Writes the dataset folder with another long tail. Train: n_c = floor(maxPerClass · IF^(-r/9)) for rank r = 9 - c
     * (reversed order, seed 0); then {@code valPerClass} and {@code testPerClass} images per class from the images the
     * long tail left out.
     *
     * @return the train split (its {@link LongTailSplit#trainCounts()} are what a pipeline must report)
     */
    public static LongTailSplit write(Path root, String specYaml, int maxPerClass, double imbalanceFactor,
            int valPerClass, int testPerClass) throws IOException {
        ImageDataset full = fashionMnistTrain();
        int held = valPerClass + testPerClass;
        DatasetSpec spec = new DatasetSpec("fmnist-jpeg-lt", null, null, null, null, null, null,
                new DatasetSpec.LongTail(maxPerClass, imbalanceFactor, "reversed", 0L, held), null);
        LongTailSplit split = SpecLongTail.split(spec, FashionMnist.CLASS_NAMES.size(), full.labels(),
                "fashion-mnist/train");
        Files.createDirectories(root.resolve("images"));
        Files.writeString(root.resolve("dataset.yaml"), specYaml);
        Files.write(root.resolve("classes.txt"), FashionMnist.CLASS_NAMES);
        List<String> train = new ArrayList<>();
        for (int i : split.trainIndices()) {
            train.add(writeImage(root, full, i, "train"));
        }
        // the held-out images come class by class, `held` per class: the first valPerClass are val, the rest test
        int[] heldOut = split.valIndices();
        List<String> val = new ArrayList<>();
        List<String> test = new ArrayList<>();
        for (int k = 0; k < heldOut.length; k++) {
            boolean isVal = k % held < valPerClass;
            (isVal ? val : test).add(writeImage(root, full, heldOut[k], isVal ? "val" : "test"));
        }
        Files.write(root.resolve("train.txt"), train);
        Files.write(root.resolve("val.txt"), val);
        Files.write(root.resolve("test.txt"), test);
        return split;
    }

    /** Image i as a 32×32 RGB JPEG (grey value in all three channels, 2 px black border); returns its list line. */
    private static String writeImage(Path root, ImageDataset full, int i, String split) throws IOException {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = full.pixel(i, 0, y, x);
                img.setRGB(x + 2, y + 2, (v << 16) | (v << 8) | v);
            }
        }
        String rel = "images/" + split + "/" + full.label(i) + "/" + i + ".jpg";
        Files.createDirectories(root.resolve(rel).getParent());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "jpg", out)) {
            throw new IOException("no JPEG writer in this JRE");
        }
        Files.write(root.resolve(rel), out.toByteArray());
        return rel + " " + full.label(i);
    }

    public static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
