package dev.vlltr.core.dataset;

import dev.vlltr.core.data.IdxArray;
import dev.vlltr.core.data.IdxReader;
import dev.vlltr.core.data.ImageList;
import dev.vlltr.core.data.LongTailSplit;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the files a spec names: the class names (from the spec's folder), each split in its layout (list and JSON
 * files from the spec's folder, image folders from the images root, IDX files from the images root), checks that
 * every class has images in every split (an empty class means the class file and the split disagree), and draws the
 * long-tailed subset when the spec asks for one. Images are not opened here ({@link ImageCheck} decodes them all).
 */
public final class DatasetResolver {

    private DatasetResolver() {
    }

    /**
     * @param spec       a validated spec
     * @param specSource the spec's name in messages
     * @param specFolder the spec's folder
     * @param images     the images root ({@link DatasetSpec#images()})
     * @param problems   fail-fast for loading, collecting for {@code dataset check}
     * @return the dataset; with a collecting sink, possibly partial (check {@link Problems#isEmpty()})
     */
    public static ResolvedDataset resolve(DatasetSpec spec, String specSource, DatasetFiles specFolder,
            DatasetFiles images, Problems problems) throws IOException {
        List<String> classNames = classNames(spec, specSource, specFolder);
        DatasetSpec.Splits s = spec.splits();
        LabelledImages sourceTrain = split(s.train(), "train", classNames, specFolder, images, problems);
        LabelledImages test = split(s.test(), "test", classNames, specFolder, images, problems);
        LabelledImages listedVal = s.val() == null ? null
                : split(s.val(), "val", classNames, specFolder, images, problems);
        LongTailSplit lt = null;
        LabelledImages train = sourceTrain;
        LabelledImages val = listedVal;
        if (spec.longTail() != null && problems.isEmpty()) {
            lt = SpecLongTail.split(spec, classNames.size(), sourceTrain.labels(), spec.name() + "/train");
            train = sourceTrain.subset(lt.trainIndices(), sourceTrain.source() + " (long-tailed subset)");
            if (listedVal == null) {
                val = sourceTrain.subset(lt.valIndices(), sourceTrain.source() + " (balanced val split)");
            }
        }
        return new ResolvedDataset(spec, classNames, sourceTrain, train, val, test, lt);
    }

    /** @return the class names the spec's {@code classes} block gives, in label order */
    public static List<String> classNames(DatasetSpec spec, String specSource, DatasetFiles specFolder)
            throws IOException {
        DatasetSpec.Classes c = spec.classes();
        if (c.names() != null) {
            return List.copyOf(c.names());
        }
        String where = specFolder.describe(c.file());
        try (InputStream in = open(specFolder, c.file(), specSource, "classes.file")) {
            return switch (c.formatOrDefault()) {
                case DatasetSpec.Classes.INATURALIST -> INaturalistReader.readCategories(in, where);
                case DatasetSpec.Classes.LABELLED -> labelledClassNames(in, where);
                default -> ImageList.parseClassNames(in, where);
            };
        } catch (DatasetSpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DatasetSpecException(e.getMessage(), e);
        }
    }

    /** {@code name label} per line (Places365's categories file); labels must be exactly {@code 0..C-1}. */
    static List<String> labelledClassNames(InputStream in, String where) throws IOException {
        List<String> lines = ImageList.parseClassNames(in, where);
        String[] names = new String[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int cut = line.lastIndexOf(' ');
            int label = -1;
            try {
                label = cut < 0 ? -1 : Integer.parseInt(line.substring(cut + 1));
            } catch (NumberFormatException e) {
                // reported below
            }
            if (label < 0 || label >= names.length || names[label] != null) {
                throw new DatasetSpecException(where + " line " + (i + 1) + ": field 'label' of '" + line
                        + "' is missing, out of range or repeated, expected 'name label' with labels 0.."
                        + (names.length - 1) + " once each");
            }
            names[label] = line.substring(0, cut).strip();
        }
        return List.of(names);
    }

    private static LabelledImages split(DatasetSpec.Split sp, String name, List<String> classNames,
            DatasetFiles specFolder, DatasetFiles images, Problems problems) throws IOException {
        String field = "splits." + name + ".file";
        LabelledImages out;
        switch (sp.format()) {
            case DatasetSpec.Split.LIST -> {
                try (InputStream in = open(specFolder, sp.file(), "dataset spec", field)) {
                    out = ListFileReader.read(in, specFolder.describe(sp.file()), classNames.size(), problems);
                }
            }
            case DatasetSpec.Split.INATURALIST -> {
                try (InputStream in = open(specFolder, sp.file(), "dataset spec", field)) {
                    out = INaturalistReader.read(in, specFolder.describe(sp.file()), classNames, problems);
                }
            }
            case DatasetSpec.Split.FOLDER -> out = ImageFolderReader.read(images, sp.dir(), classNames, problems);
            default -> out = idxLabels(sp, name, classNames.size(), images);
        }
        requireEveryClass(out, classNames, problems);
        return out;
    }

    /** IDX splits (Fashion-MNIST) are held in memory; only their labels are needed to draw subsets. */
    private static LabelledImages idxLabels(DatasetSpec.Split sp, String name, int numClasses, DatasetFiles images)
            throws IOException {
        IdxArray labels;
        try (InputStream in = open(images, sp.labels(), "dataset spec", "splits." + name + ".labels")) {
            labels = IdxReader.read(in, images.describe(sp.labels()));
        }
        byte[] raw = labels.data();
        List<String> paths = new ArrayList<>(raw.length);
        int[] lb = new int[raw.length];
        int[] lines = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            lb[i] = raw[i] & 0xff;
            if (lb[i] >= numClasses) {
                throw new DatasetSpecException(images.describe(sp.labels()) + ": field 'label[" + i + "]' is " + lb[i]
                        + ", expected 0.." + (numClasses - 1));
            }
            paths.add(sp.file() + "#" + i);
        }
        return new LabelledImages(images.describe(sp.file()), paths, lb, lines, numClasses);
    }

    private static void requireEveryClass(LabelledImages split, List<String> classNames, Problems problems) {
        if (split.size() == 0) {
            return;
        }
        int[] counts = split.classCounts();
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] == 0) {
                problems.add(split.source(), 0, "label", "never takes the value " + c + " (class '" + classNames.get(c)
                        + "' is empty), expected images of every class of the class file; do the class file and"
                        + " the split agree?");
            }
        }
    }

    static InputStream open(DatasetFiles files, String relative, String owner, String field) throws IOException {
        try {
            return files.open(relative);
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new DatasetSpecException(owner + ": field '" + field + "' names " + files.describe(relative)
                    + ", which does not exist", e);
        }
    }
}
