package dev.vlltr.stage.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.store.FileArtifactStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset and corpus ids found by walking real manifests upstream (evaluation → lgr → cvlp → text-crawl). */
class UpstreamLineageTest {

    static final String SHA = "ab".repeat(32);

    static StageManifest manifest(String stage, Map<String, String> params, Map<String, ArtifactRef> inputs,
            Map<String, ArtifactRef> outputs) {
        return new StageManifest(StageManifest.SCHEMA_VERSION, stage, "r1", "test", "fp", params, inputs, outputs,
                Map.of(), Instant.EPOCH, Instant.EPOCH);
    }

    static ArtifactRef ref(URI uri) {
        return new ArtifactRef(uri, SHA, 1L);
    }

    @Test
    void findsCvlpsDatasetAndTheCrawledCorpusByContent(@TempDir Path tmp) throws Exception {
        FileArtifactStore store = new FileArtifactStore();
        URI root = tmp.toUri();
        URI crawl = Manifests.manifestUri(root, "r1", "text-crawl");
        URI cvlp = Manifests.manifestUri(root, "r1", "cvlp");
        URI lgr = Manifests.manifestUri(root, "r1", "lgr");
        Manifests.publish(store, crawl, manifest("text-crawl", Map.of("dataset", "fashion-mnist"), Map.of(),
                Map.of("corpus", ref(root.resolve("r1/text-crawl/corpus.jsonl")))));
        Manifests.publish(store, cvlp, manifest("cvlp", Map.of("dataset", "fashion-mnist", "imbalance-factor", "10.0",
                "seed", "0", "epochs", "2"), Map.of("corpus", ref(crawl)), Map.of()));
        // lgr names a dataset too (a default it does not use): cvlp's is the one the model was trained on
        StageManifest lgrManifest = manifest("lgr", Map.of("dataset", "unused-default"), Map.of("cvlp", ref(cvlp)),
                Map.of());
        Manifests.publish(store, lgr, lgrManifest);

        UpstreamLineage found = UpstreamLineage.walk(store, List.of(lgrManifest));
        assertEquals("fashion-mnist (imbalance-factor=10.0, seed=0)", found.datasetId());
        assertEquals("corpus.jsonl@sha256:" + SHA, found.corpusId());
    }

    @Test
    void aCeOnlyComparisonHasADatasetButNoCorpus(@TempDir Path tmp) throws Exception {
        StageManifest recal = manifest("recalibration", Map.of("dataset", "fmnist-lt-quick", "imbalance-factor", "100",
                "seed", "3"), Map.of(), Map.of());
        UpstreamLineage found = UpstreamLineage.walk(new FileArtifactStore(), List.of(recal));
        assertEquals("fmnist-lt-quick (seed=3)", found.datasetId(), "a benchmark ignores imbalance-factor");
        assertNull(found.corpusId());
    }

    @Test
    void aDatasetInputIsTheDatasetByUriAndDigestWhateverTheParameters(@TempDir Path tmp) throws Exception {
        URI spec = URI.create("s3://datasets/specs/mine/dataset.yaml");
        StageManifest cvlp = manifest("cvlp", Map.of("dataset", "fashion-mnist", "imbalance-factor", "100.0",
                "seed", "0"), Map.of("dataset", ref(spec)), Map.of());
        UpstreamLineage found = UpstreamLineage.walk(new FileArtifactStore(), List.of(cvlp));
        assertEquals(spec + "@sha256:" + SHA, found.datasetId(),
                "the spec's digest (spec + list files) names the data; the unused parameters do not");
    }
}
