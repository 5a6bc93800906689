package dev.vlltr.stagedata;

import dev.vlltr.core.dataset.DatasetFiles;
import dev.vlltr.core.dataset.DatasetSpec;
import dev.vlltr.core.dataset.DatasetSpecReader;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.data.FashionMnistFiles;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The backwards-compatible {@code --param dataset=NAME} of the training stages, used only without input
 * {@code dataset}: a name selects one of the specs shipped in {@code datasets/} (bundled in this jar), its images from
 * the {@code data-dir} parameter or the usual Fashion-MNIST places ({@link FashionMnistFiles}: Debian package, cache,
 * verified download). {@code fashion-mnist} is {@code fmnist-lt-if100} with the stage's imbalance factor. Nothing
 * about Fashion-MNIST is in Java beyond where its files are found.
 */
public final class BuiltInDatasets {

    /** The names of the shipped specs. */
    public static final List<String> NAMES = List.of("fmnist-lt-if100", "fmnist-lt-fewshot", "fmnist-lt-quick");
    /** The legacy name: {@code fmnist-lt-if100}'s profile with the stage's imbalance factor. */
    public static final String FASHION_MNIST = "fashion-mnist";

    private BuiltInDatasets() {
    }

    /** @return whether {@code name} is a built-in dataset name */
    public static boolean known(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return n.equals(FASHION_MNIST) || NAMES.contains(n);
    }

    /**
     * @param name    {@code fashion-mnist} or a shipped spec's name
     * @param dataDir the {@code data-dir} parameter: a folder or URI of the IDX files ("" for the usual places)
     * @throws BadInputException naming parameter {@code dataset} when the name is unknown
     */
    public static DatasetLocation open(String name, String dataDir, StageContext ctx) throws IOException {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        String file = n.equals(FASHION_MNIST) ? "fmnist-lt-if100" : n;
        if (!NAMES.contains(file)) {
            throw new BadInputException("parameter 'dataset': '" + name + "' is unknown: expected " + FASHION_MNIST
                    + " or a shipped spec (" + String.join(", ", NAMES) + "), or give input dataset=URI of a"
                    + " dataset.yaml");
        }
        String resource = "vlltr-datasets/" + file + "/dataset.yaml";
        DatasetSpec spec;
        try (InputStream in = BuiltInDatasets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks the shipped spec " + resource);
            }
            spec = DatasetSpecReader.read(in, "datasets/" + file + "/dataset.yaml (built in)");
        }
        FashionMnistFiles.Opener opener = FashionMnistFiles.forStage(dataDir, ctx);
        DatasetFiles images = new IdxFiles(opener, dataDir == null || dataDir.isBlank() ? "Fashion-MNIST" : dataDir);
        URI specUri = URI.create("classpath:" + resource);
        String dir = dataDir == null ? "" : dataDir.strip();
        URI imagesUri = dir.isEmpty() ? FashionMnistFiles.DEBIAN_DIR.toUri()
                : dir.contains("://") ? URI.create(dir) : java.nio.file.Path.of(dir).toAbsolutePath().toUri();
        return new DatasetLocation(specUri, spec, new IdxFiles(opener, "built-in spec " + file), images, imagesUri);
    }

    /** The verified Fashion-MNIST files by name ({@code <stem>.gz} or {@code <stem>}), as a dataset folder. */
    private record IdxFiles(FashionMnistFiles.Opener opener, String where) implements DatasetFiles {

        @Override
        public InputStream open(String relative) throws IOException {
            String stem = relative.endsWith(".gz") ? relative.substring(0, relative.length() - 3) : relative;
            if (!FashionMnistFiles.CONTENT.containsKey(stem)) {
                throw new FileNotFoundException(where + " has no file '" + relative + "'");
            }
            return opener.open(stem);
        }

        @Override
        public List<String> list(String dir) {
            return List.of();
        }

        @Override
        public String describe(String relative) {
            return where + "/" + relative;
        }
    }
}
