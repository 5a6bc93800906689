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

/** A small text-crawl output (corpus + manifest) as the upstream input of the tests. */
final class StageTestSupport {

    private StageTestSupport() {}

    static void requireFashionMnist() {
        if (!Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"))) {
            String msg = "Fashion-MNIST not installed: apt-get install dataset-fashion-mnist";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                throw new AssertionError(msg);
            }
            Assumptions.abort(msg);
        }
    }

    /** Three sentences per Fashion-MNIST class (class names as given), published with a text-crawl manifest. */
    static Path corpusManifest(Path dir, List<String> names) throws IOException {
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

    static Path corpusManifest(Path dir) throws IOException {
        return corpusManifest(dir, FashionMnist.CLASS_NAMES);
    }
}
