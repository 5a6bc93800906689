package dev.vlltr.stage.evaluation;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.store.ArtifactStore;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The dataset and text corpus a registered model was trained on, found by walking the manifests upstream of the
 * evaluation's inputs (evaluation → lgr → anchor-selection → text-crawl …): each manifest names its inputs' manifests,
 * so the whole run's provenance is reachable from the last stage without the orchestrator passing anything.
 *
 * @param datasetId the first upstream stage's dataset: its input {@code dataset} by URI and digest (spec and the files
 *                  it names), e.g. {@code s3://datasets/x/dataset.yaml@sha256:<hex>}, else its parameters, e.g.
 *                  {@code fashion-mnist (imbalance-factor=100, seed=0)} or {@code fmnist-lt-quick (seed=0)}; null when
 *                  no upstream stage names a dataset
 * @param corpusId  the text-crawl corpus by content, {@code corpus.jsonl@sha256:<hex>}; null when the run has no
 *                  text-crawl stage upstream (a CE-only comparison)
 */
public record UpstreamLineage(String datasetId, String corpusId) {

    /** Manifests visited at most: a pipeline run has ten; this bounds a malformed cyclic chain. */
    private static final int MAX_MANIFESTS = 200;

    /**
     * Walks breadth-first from {@code start} (the evaluation's input manifests, in input order). The dataset is
     * cvlp's (the stage that trains on the images); without cvlp upstream, the first stage that names one.
     */
    public static UpstreamLineage walk(ArtifactStore store, List<StageManifest> start) throws IOException {
        Deque<StageManifest> queue = new ArrayDeque<>(start);
        List<StageManifest> upstream = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        while (!queue.isEmpty() && upstream.size() < MAX_MANIFESTS) {
            StageManifest m = queue.removeFirst();
            upstream.add(m);
            for (ArtifactRef in : m.inputs().values()) {
                if (in.uri().getPath() != null && in.uri().getPath().endsWith("/" + StageManifest.FILE_NAME)
                        && seen.add(in.uri())) {
                    Manifests.read(store, in.uri()).ifPresent(queue::addLast);
                }
            }
        }
        String dataset = upstream.stream().filter(m -> "cvlp".equals(m.stage())).map(UpstreamLineage::datasetId)
                .filter(java.util.Objects::nonNull).findFirst()
                .orElse(upstream.stream().map(UpstreamLineage::datasetId).filter(java.util.Objects::nonNull)
                        .findFirst().orElse(null));
        String corpus = upstream.stream().filter(m -> "text-crawl".equals(m.stage())).map(UpstreamLineage::corpusId)
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        return new UpstreamLineage(dataset, corpus);
    }

    /** A stage's dataset with the parameters that shape it (text-crawl's {@code dataset} is only the class list). */
    static String datasetId(StageManifest m) {
        if ("text-crawl".equals(m.stage())) {
            return null;
        }
        ArtifactRef input = m.inputs() == null ? null : m.inputs().get("dataset");
        String name = input != null ? input.uri() + "@sha256:" + input.sha256()
                : m.params() == null ? null : m.params().get("dataset");
        if (name == null || name.isBlank()) {
            return null;
        }
        List<String> shape = new ArrayList<>();
        // the fmnist-lt-* benchmarks fix their own long-tail profile and ignore imbalance-factor; a spec input's digest
        // covers its longTail block and seed
        List<String> keys = input != null ? List.<String>of()
                : name.startsWith("fmnist-lt-") ? List.of("seed") : List.of("imbalance-factor", "seed");
        for (String key : keys) {
            String v = m.params() == null ? null : m.params().get(key);
            if (v != null && !v.isBlank()) {
                shape.add(key + "=" + v);
            }
        }
        String id = shape.isEmpty() ? name : name + " (" + String.join(", ", shape) + ")";
        return id.length() <= 250 ? id : id.substring(0, 250);   // the registry's limit
    }

    static String corpusId(StageManifest m) {
        ArtifactRef corpus = m.outputs() == null ? null : m.outputs().get("corpus");
        if (corpus == null) {
            return null;
        }
        String path = corpus.uri().getPath();
        return path.substring(path.lastIndexOf('/') + 1) + "@sha256:" + corpus.sha256();
    }
}
