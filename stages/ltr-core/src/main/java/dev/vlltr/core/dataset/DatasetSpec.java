package dev.vlltr.core.dataset;

import java.util.List;
import java.util.Map;

/**
 * A dataset spec ({@code dataset.yaml}): where the classes, the splits and the images of a dataset are, how images are
 * shaped for training and evaluation, and, optionally, how to draw a long-tailed subset from a balanced train split.
 * Read strictly by {@link DatasetSpecReader}; the contract for users is {@code datasets/dataset.schema.json} and
 * {@code docs/datasets.md}. File names in the spec are relative to the spec's folder; image paths in the splits are
 * relative to {@link #images()}.
 *
 * @param name        the dataset's name (recorded in long-tail index records and reports)
 * @param description free text
 * @param classes     the class names, in label order
 * @param images      root URI ({@code file://}, {@code s3://}) or path relative to the spec's folder that image paths
 *                    are relative to; null means the spec's folder
 * @param splits      train, val, test
 * @param geometry    image shape and normalisation
 * @param texts       optional folder (relative to the spec) of VL-LTR {@code desc_<label>.txt} class texts
 * @param longTail    optional: draw the long-tailed train subset (and a balanced val split) from the train split
 * @param textCrawl   optional per-class overrides for text-crawl
 */
public record DatasetSpec(String name, String description, Classes classes, String images, Splits splits,
        Geometry geometry, String texts, LongTail longTail, TextCrawl textCrawl) {

    /**
     * Class-name source: a file or inline {@code names}. File formats: {@code lines} (line i names label i),
     * {@code labelled} ({@code name label} per line, as Places365's {@code categories_places365.txt}) or
     * {@code inaturalist} (categories JSON).
     */
    public record Classes(String file, String format, List<String> names) {

        public static final String LINES = "lines";
        public static final String LABELLED = "labelled";
        public static final String INATURALIST = "inaturalist";

        public String formatOrDefault() {
            return format == null ? LINES : format;
        }
    }

    /** The three splits; {@code val} may be absent when {@link LongTail#valPerClass()} draws it from train. */
    public record Splits(Split train, Split val, Split test) {}

    /**
     * One split in one of the layouts: {@code list} (ImageNet-LT {@code path label} lines in {@code file}),
     * {@code folder} (one sub-folder per class under {@code dir}), {@code inaturalist} (COCO-style JSON {@code file})
     * or {@code idx} (IDX image file {@code file} and label file {@code labels}, for Fashion-MNIST).
     */
    public record Split(String format, String file, String dir, String labels) {

        public static final String LIST = "list";
        public static final String FOLDER = "folder";
        public static final String INATURALIST = "inaturalist";
        public static final String IDX = "idx";
    }

    /**
     * @param channels 3 (RGB) or 1 (grey)
     * @param mean     per channel, in [0, 1] units
     * @param std      per channel
     * @param train    training geometry and augmentation
     * @param eval     evaluation geometry
     */
    public record Geometry(Integer channels, List<Double> mean, List<Double> std, TrainGeometry train,
            EvalGeometry eval) {}

    /**
     * Training transform, in torchvision order: random-resized-crop (or random-crop with padding for small images),
     * horizontal flip with probability {@code flip}, colour jitter.
     */
    public record TrainGeometry(RandomResizedCrop randomResizedCrop, RandomCrop randomCrop, Double flip,
            ColorJitter colorJitter) {}

    /** torchvision {@code RandomResizedCrop(size, scale, ratio)}. */
    public record RandomResizedCrop(Integer size, List<Double> scale, List<Double> ratio) {}

    /** torchvision {@code RandomCrop(size, padding)} at the image's own size (Fashion-MNIST, CIFAR). */
    public record RandomCrop(Integer padding) {}

    /** torchvision {@code ColorJitter(brightness, contrast, saturation, hue)}; hue must be 0 (not implemented). */
    public record ColorJitter(Double brightness, Double contrast, Double saturation, Double hue) {}

    /** Evaluation: shorter side resized to {@code resize}, then a {@code centerCrop} square cut at the centre. */
    public record EvalGeometry(Integer resize, Integer centerCrop) {}

    /**
     * Long-tail generation: {@code n_c = floor(maxPerClass · imbalanceFactor^(-r/(C-1)))} for the class of rank r.
     *
     * @param classOrder  {@code natural} (class 0 is the head), {@code reversed} or {@code shuffled}
     * @param seed        seed of the per-class shuffles (and of a shuffled class order)
     * @param valPerClass images per class held out of train as the balanced validation split
     */
    public record LongTail(Integer maxPerClass, Double imbalanceFactor, String classOrder, Long seed,
            Integer valPerClass) {

        /** Default 20, the Decoupling/OLTR val size per class (the LongTailSplitter default). */
        public int valPerClassOrDefault() {
            return valPerClass == null ? 20 : valPerClass;
        }

        public long seedOrDefault() {
            return seed == null ? 0 : seed;
        }

        public String classOrderOrDefault() {
            return classOrder == null ? "natural" : classOrder;
        }
    }

    /**
     * Overrides for text-crawl, keyed by label ({@code "0"}) or class name.
     *
     * @param wikipediaTitles the Wikipedia article of a class (default: its name)
     * @param wordnet         WordNet synsets of a class: ImageNet wnids ({@code n01440764}) or lemma names
     */
    public record TextCrawl(Map<String, String> wikipediaTitles, Map<String, List<String>> wordnet) {}
}
