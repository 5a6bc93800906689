package dev.vlltr.runtime.manifest;

import dev.vlltr.runtime.store.FileArtifactStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How the committed fixtures under {@code src/test/resources/fixtures/v1/} were made: run once with the code of the
 * day ({@code -Dvlltr.writeFixtures=<dir> -Dvlltr.cvlpState=<ltr-core fixtures dir>}), never again. A cvlp manifest
 * (schema 1) and a training checkpoint as {@link Checkpoints#saveTraining} lays it out, holding the CVLP trainer state
 * of ltr-core's fixtures. The checkpoint index records absolute URIs; they are stored with the root replaced by
 * {@link #ROOT} so that a test can put the tree anywhere.
 */
class OldFormatFixtures {

    static final String ROOT = "file:///VLLTR_FIXTURE_ROOT/";
    static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static ArtifactRef ref(String uri, char digit, long size) {
        return new ArtifactRef(URI.create(uri), String.valueOf(digit).repeat(64), size);
    }

    @Test
    @EnabledIfSystemProperty(named = "vlltr.writeFixtures", matches = ".+")
    void write() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("vlltr.writeFixtures")));
        Path state = Path.of(System.getProperty("vlltr.cvlpState"));

        String base = "s3://vlltr/runs/fixture-run/cvlp/";
        Map<String, ArtifactRef> outputs = new LinkedHashMap<>();
        outputs.put("encoders", ref(base + "cvlp-encoders.params", 'a', 1000));
        outputs.put("model-config", ref(base + "model-config.json", 'b', 900));
        outputs.put("sentence-embeddings", ref(base + "sentence-embeddings.vlft", 'c', 5000));
        outputs.put("text-features", ref(base + "text-features.vlft", 'd', 4000));
        outputs.put("split", ref(base + "long-tail-split.json", 'e', 300));
        outputs.put("history", ref(base + "history.json", 'f', 200));
        StageManifest m = new StageManifest(1, "cvlp", "fixture-run", "0.1.0+abc1234", KEY,
                Map.of("epochs", "2", "seed", "0"),
                Map.of("corpus", ref("s3://vlltr/runs/fixture-run/text-crawl/manifest.json", '1', 700)), outputs,
                Map.of("loss", 1.25, "train_images", 112.0), Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2026-12-01T10:05:00Z"));
        Files.write(dir.resolve("cvlp-manifest.json"), Manifests.toBytes(m));

        Path root = Files.createTempDirectory("vlltr-fixture-root");
        Checkpoints cps = new Checkpoints(new FileArtifactStore(), root.resolve("run/cvlp/").toUri());
        Map<String, Double> epoch1 = new LinkedHashMap<>();
        epoch1.put("epoch", 1.0);
        epoch1.put("lr", 1e-4);
        epoch1.put("loss", 2.0);
        @SuppressWarnings("unchecked")
        Map<String, Integer> steps = Manifests.JSON.readValue(state.resolve("cvlp-epoch1-optimizer-steps.json")
                .toFile(), Map.class);
        cps.saveTraining(new Checkpoints.TrainingState(1,
                Files.readAllBytes(state.resolve("cvlp-epoch1-parameters.ndlist")),
                Files.readAllBytes(state.resolve("cvlp-epoch1-optimizer.ndlist")), steps, List.of(epoch1)), KEY,
                root.resolve("scratch"));
        Path from = root.resolve("run/cvlp/checkpoints/epoch-0001");
        Path to = Files.createDirectories(dir.resolve("checkpoints/epoch-0001"));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        Path index = to.resolve(Checkpoints.INDEX);
        String placeholder = Files.readString(index, StandardCharsets.UTF_8).replace(root.toUri().toString(), ROOT);
        Files.writeString(index, placeholder, StandardCharsets.UTF_8);
    }
}
