package dev.vlltr.orchestration.local;

import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.SpecLongTail;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * A user's own dataset, as docs/datasets.md tells them to lay it out: real Fashion-MNIST training images (Debian's
 * dataset-fashion-mnist) rendered as 32×32 RGB JPEGs in ImageNet-LT list layout ({@code images/<split>/<label>/<i>.jpg
 * <label>} lines), long-tailed with the classes in REVERSED order (class 9, Ankle boot, is the head), with a class
 * file, train/val/test lists and a dataset.yaml. Java's own JPEG writer (ImageIO): nothing to install.
 */
final class FashionMnistJpegs {

    static final Path FMNIST = Path.of("/usr/share/datasets/fashion-mnist");

    /**
     * The dataset.yaml: RGB, the Fashion-MNIST mean/std per channel, the images at their own 32 px with a padded random
     * crop and flip (what the stages' in-memory path applies; a random-resized crop needs the streaming loader).
     */
    static final String SPEC = """
            name: fmnist-jpeg-lt
            description: Fashion-MNIST as RGB JPEGs in list layout, long-tailed with reversed class order
            classes: {file: classes.txt}
            splits:
              train: {format: list, file: train.txt}
              val: {format: list, file: val.txt}
              test: {format: list, file: test.txt}
            geometry:
              channels: 3
              mean: [0.2860, 0.2860, 0.2860]
              std: [0.3530, 0.3530, 0.3530]
              train: {randomCrop: {padding: 4}, flip: 0.5}
              eval: {resize: 32, centerCrop: 32}
            """;

    private FashionMnistJpegs() {}

    /** Is the Debian package there? */
    static boolean available() {
        return Files.isRegularFile(FMNIST.resolve("train-images-idx3-ubyte.gz"));
    }

    /**
     * Writes the dataset folder. Train: n_c = floor(maxPerClass · IF^(-r/9)) for rank r = 9 - c (reversed order, the
     * issue's profile, seed 0); then {@code valPerClass} and {@code testPerClass} images per class from the images the
     * long tail left out.
     *
     * @return the train split (its {@link LongTailSplit#trainCounts()} are what the pipeline must report)
     */
    static LongTailSplit write(Path root, int maxPerClass, double imbalanceFactor, int valPerClass, int testPerClass)
            throws IOException {
        ImageDataset full = FashionMnist.load(
                name -> new GZIPInputStream(Files.newInputStream(FMNIST.resolve(name + ".gz"))),
                FashionMnist.Split.TRAIN);
        int held = valPerClass + testPerClass;
        DatasetSpec draw = new DatasetSpec("fmnist-jpeg-lt", null, null, null, null, null, null,
                new DatasetSpec.LongTail(maxPerClass, imbalanceFactor, "reversed", 0L, held), null);
        LongTailSplit split = SpecLongTail.split(draw, FashionMnist.CLASS_NAMES.size(), full.labels(),
                "fashion-mnist/train");
        Files.createDirectories(root);
        Files.writeString(root.resolve("dataset.yaml"), SPEC);
        Files.write(root.resolve("classes.txt"), FashionMnist.CLASS_NAMES);
        List<String> train = new ArrayList<>();
        for (int i : split.trainIndices()) {
            train.add(writeImage(root, full, i, "train"));
        }
        // the held-out images per class, class by class: the first valPerClass are val, the rest test
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

    /** Image i as a 32×32 RGB JPEG (its grey value in all three channels, a 2-px black border); its list line. */
    private static String writeImage(Path root, ImageDataset full, int i, String split) throws IOException {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = full.pixel(i, 0, y, x);
                img.setRGB(x + 2, y + 2, (v << 16) | (v << 8) | v);
            }
        }
        String rel = "images/" + split + "/" + full.label(i) + "/" + i + ".jpg";
        Path file = root.resolve(rel);
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(img, "jpg", file.toFile())) {
            throw new IOException("no JPEG writer in this JRE");
        }
        return rel + " " + full.label(i);
    }
}
