package dev.vlltr.stage.cvlp;

import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.text.ClassCorpusEntry;
import dev.vlltr.core.text.CorpusJsonl;
import dev.vlltr.core.text.CorpusSentence;
import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.store.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Upstream inputs of the stage tests (cvlp, anchor-selection, lgr): a small text-crawl output (corpus + manifest) and a
 * tiny real cvlp run.
 */
public final class StageTestSupport {

    private StageTestSupport() {}

    public static void requireFashionMnist() {
        if (!Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"))) {
            String msg = "Fashion-MNIST not installed: apt-get install dataset-fashion-mnist";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
    }

    /**
     * @param name a spec shipped in the repository's {@code datasets/} folder, e.g. {@code fmnist-lt-quick}
     * @return {@code dataset=<file URI of its dataset.yaml>}, the value of {@code --input}
     */
    public static String datasetInput(String name) {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path spec = d.resolve("datasets").resolve(name).resolve("dataset.yaml");
            if (Files.isRegularFile(spec)) {
                return "dataset=" + spec.toUri();
            }
        }
        throw new IllegalStateException("datasets/" + name + "/dataset.yaml not found above "
                + Path.of("").toAbsolutePath());
    }

    /** Three sentences per Fashion-MNIST class (class names as given), published with a text-crawl manifest. */
    public static Path corpusManifest(Path dir, List<String> names) throws IOException {
        Files.createDirectories(dir);
        List<ClassCorpusEntry> entries = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            String n = names.get(c);
            entries.add(ClassCorpusEntry.of(c, n, List.of(
                    new CorpusSentence("a photo of a " + n + " .", "templates"),
                    new CorpusSentence("a blurry photo of the " + n + " .", "templates"),
                    new CorpusSentence(n + ": an item of clothing or an accessory.", "wordnet"))));
        }
        Path corpus = dir.resolve("corpus.jsonl");
        try (OutputStream out = Files.newOutputStream(corpus)) {
            CorpusJsonl.write(entries, out);
        }
        StageManifest m = new StageManifest(StageManifest.SCHEMA_VERSION, "text-crawl", "test", "test", "f",
                Map.of(), Map.of(), Map.of("corpus", new ArtifactRef(corpus.toUri(), Sha256.of(corpus),
                        Files.size(corpus))), Map.of(), Instant.now(), Instant.now());
        Path manifest = dir.resolve("manifest.json");
        Files.write(manifest, Manifests.JSON.writeValueAsBytes(m));
        return manifest;
    }

    public static Path corpusManifest(Path dir) throws IOException {
        return corpusManifest(dir, FashionMnist.CLASS_NAMES);
    }

    /** A tiny real cvlp run (ResNet-8, 16-d, one epoch on fmnist-lt-quick) under {@code root}; its manifest. */
    public static Path cvlpManifest(Path root, Path corpusManifest) {
        return cvlpManifest(root, corpusManifest, new String[0]);
    }

    /** A tiny scratch-Transformer text tower: the "no pretrained language" ablation, {@code text-encoder=scratch}. */
    public static final String[] SCRATCH_TEXT = {"--param", "text-encoder=scratch", "--param", "text-width=32",
        "--param", "text-heads=2", "--param", "text-layers=1", "--param", "text-max-length=16"};

    /** The tiny cvlp run with extra arguments (e.g. {@link #SCRATCH_TEXT}); its manifest. */
    public static Path cvlpManifest(Path root, Path corpusManifest, String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", "up",
                "--artifact-root", root.toString(), "--xcom-dir", root.resolve("no-xcom").toString(),
                "--tracking-uri", "none", "--input", "corpus=" + corpusManifest,
                "--input", datasetInput("fmnist-lt-quick"),
                "--param", "depth=8", "--param", "embed-dim=16", "--param", "text-hidden-dim=32", "--param",
                "batch-size=64", "--param", "warmup-epochs=0", "--param", "epochs=1", "--param",
                "epoch-length=384"));
        args.addAll(List.of(extra));
        int code = new picocli.CommandLine(new CvlpCommand()).execute(args.toArray(String[]::new));
        if (code != 0) {
            throw new AssertionError("upstream cvlp run failed with exit code " + code);
        }
        return root.resolve("up").resolve("cvlp").resolve("manifest.json");
    }

    /**
     * Runs cvlp under {@code tmp} on a dataset folder (its dataset.yaml as input 'dataset') with a corpus made once
     * under {@code tmp/text-crawl}; outputs go to {@code tmp/root/<runId>/cvlp}.
     */
    public static dev.vlltr.runtime.testing.CommandRun cvlpOnDataset(Path tmp, String runId, Path dataset,
            String[] params, String... extra) throws IOException {
        return dev.vlltr.runtime.testing.CommandRun.of(new CvlpCommand(), cvlpOnDatasetArgs(tmp, runId, dataset,
                params, extra));
    }

    /** The command line of {@link #cvlpOnDataset} (e.g. for a child JVM); makes the corpus once. */
    public static String[] cvlpOnDatasetArgs(Path tmp, String runId, Path dataset, String[] params, String... extra)
            throws IOException {
        Path corpus = tmp.resolve("text-crawl").resolve("manifest.json");
        if (!Files.exists(corpus)) {
            corpusManifest(tmp.resolve("text-crawl"));
        }
        List<String> args = new ArrayList<>(List.of("--run-id", runId, "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "corpus=" + corpus, "--input",
                "dataset=" + dataset.resolve("dataset.yaml").toUri()));
        args.addAll(List.of(params));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }
}
