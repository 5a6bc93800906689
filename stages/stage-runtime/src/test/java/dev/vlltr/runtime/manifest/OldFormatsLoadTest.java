package dev.vlltr.runtime.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlltr.runtime.store.FileArtifactStore;
import dev.vlltr.runtime.store.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written by an earlier version (committed under {@code fixtures/v1/}, made by {@link OldFormatFixtures}) still
 * load: a schema-1 cvlp manifest and a training checkpoint as {@link Checkpoints#saveTraining} laid it out.
 */
class OldFormatsLoadTest {

    @TempDir
    Path tmp;

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = OldFormatsLoadTest.class.getResourceAsStream("/fixtures/v1/" + name)) {
            if (in == null) {
                throw new IOException("missing fixture " + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void aSchemaOneManifestParsesWithItsOutputsInputsAndMetrics() throws IOException {
        StageManifest m = Manifests.parse(fixture("cvlp-manifest.json"), URI.create("file:///fixture/manifest.json"));
        assertEquals(1, m.schemaVersion());
        assertEquals("cvlp", m.stage());
        assertEquals(OldFormatFixtures.KEY, m.fingerprint());
        assertEquals(List.of("encoders", "history", "model-config", "sentence-embeddings", "split", "text-features"),
                List.copyOf(m.outputs().keySet()));
        assertEquals(URI.create("s3://vlltr/runs/fixture-run/cvlp/cvlp-encoders.params"), m.output("encoders").uri());
        assertEquals("a".repeat(64), m.output("encoders").sha256());
        assertEquals(1.25, m.metrics().get("loss"));
        assertEquals("2", m.params().get("epochs"));
    }

    @Test
    void aTrainingCheckpointOfTheOldLayoutRestoresForItsKey() throws IOException {
        // put the checkpoint where its index says it is (the index holds absolute URIs under a placeholder root)
        Path root = tmp.resolve("root");
        Path dir = Files.createDirectories(root.resolve("run/cvlp/checkpoints/epoch-0001"));
        for (String f : List.of("parameters.ndlist", "optimizer.ndlist")) {
            Files.write(dir.resolve(f), fixture("checkpoints/epoch-0001/" + f));
        }
        String index = new String(fixture("checkpoints/epoch-0001/" + Checkpoints.INDEX), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(Checkpoints.INDEX), index.replace(OldFormatFixtures.ROOT, root.toUri().toString()));

        Checkpoints cps = new Checkpoints(new FileArtifactStore(), root.resolve("run/cvlp/").toUri());
        assertEquals(List.of(1), cps.epochs());
        Checkpoints.TrainingState st = cps.restoreTraining(OldFormatFixtures.KEY, 3, tmp.resolve("restore"))
                .orElseThrow();
        assertEquals(1, st.epoch());
        assertEquals(Sha256.of(fixture("checkpoints/epoch-0001/parameters.ndlist")), Sha256.of(st.parameters()));
        assertEquals(Sha256.of(fixture("checkpoints/epoch-0001/optimizer.ndlist")), Sha256.of(st.optimizerMoments()));
        assertEquals(List.of("epoch", "lr", "loss"), List.copyOf(st.history().get(0).keySet()));
        assertEquals(2.0, st.history().get(0).get("loss"));
        assertEquals(false, st.optimizerSteps().isEmpty());
    }
}
