package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.FileArtifactStore;
import dev.vlltr.runtime.store.Sha256;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageRunnerTest {

    @TempDir
    Path tmp;

    Path numbers;
    Path root;
    Path xcom;

    @BeforeEach
    void setUp() throws IOException {
        numbers = tmp.resolve("numbers.txt");
        Files.writeString(numbers, "1\n2\n3\n");
        root = tmp.resolve("artifacts");
        xcom = tmp.resolve("xcom");
        Files.createDirectories(xcom);
    }

    StageConfig config(Map<String, String> params) {
        return new StageConfig("run-1", root.toString(), null, null, Map.of("numbers", numbers.toString()), params);
    }

    StageRunner runner(ArtifactStore store) {
        return new StageRunner(store, tmp.resolve("work"), new XcomWriter(xcom));
    }

    @Test
    void runPublishesOutputsThenManifestAndWritesXcom() throws Exception {
        SumStage stage = new SumStage();
        StageRunner.Result r = runner(new FileArtifactStore()).run(SumStage.DEFINITION, config(Map.of()), false,
                stage::execute);

        assertFalse(r.memoised());
        Path manifestFile = root.resolve("run-1/sum/manifest.json");
        assertEquals(manifestFile.toUri(), r.manifestUri());
        StageManifest m = Manifests.parse(Files.readAllBytes(manifestFile), r.manifestUri());
        assertEquals("sum", m.stage());
        assertEquals(Map.of("factor", "2", "mode", "plain", "fail-after-outputs", "0.0"), m.params());
        assertEquals(Sha256.of(numbers), m.inputs().get("numbers").sha256());
        Path result = PublishedOutputs.file(root, "run-1", "sum", "result");
        assertEquals("12", Files.readString(result));
        assertEquals(Sha256.of(result), m.output("result").sha256());
        assertEquals(2L, m.output("result").size());
        assertEquals(Map.of("result", 12.0), m.metrics());
        assertTrue(m.finishedAt().compareTo(m.startedAt()) >= 0);

        JsonNode ret = Manifests.JSON.readTree(xcom.resolve("return.json").toFile());
        assertEquals(r.manifestUri().toString(), ret.get("manifest").asText());
        assertEquals(result.toUri().toString(), ret.get("outputs").get("result").asText());
        assertEquals(12.0, ret.get("metrics").get("result").asDouble());
        assertEquals(3, r.context().metricPoints().stream().filter(p -> p.key().equals("loss")).count());
    }

    @Test
    void memoisationSkipsOnlyWhenParamsInputsAndOutputsAreUnchanged() throws Exception {
        SumStage stage = new SumStage();
        StageRunner runner = runner(new FileArtifactStore());
        runner.run(SumStage.DEFINITION, config(Map.of()), false, stage::execute);
        assertEquals(1, stage.executions.get());

        assertTrue(runner.run(SumStage.DEFINITION, config(Map.of()), false, stage::execute).memoised());
        // explicit default is the same effective parameter set
        assertTrue(runner.run(SumStage.DEFINITION, config(Map.of("factor", "2")), false, stage::execute).memoised());
        assertEquals(1, stage.executions.get());

        assertFalse(runner.run(SumStage.DEFINITION, config(Map.of("factor", "3")), false, stage::execute).memoised());
        assertEquals("18", Files.readString(PublishedOutputs.file(root, "run-1", "sum", "result")));

        Files.writeString(numbers, "1\n2\n3\n4\n");   // input changed
        assertFalse(runner.run(SumStage.DEFINITION, config(Map.of("factor", "3")), false, stage::execute).memoised());
        assertEquals("30", Files.readString(PublishedOutputs.file(root, "run-1", "sum", "result")));

        Files.writeString(PublishedOutputs.file(root, "run-1", "sum", "result"), "999");   // output tampered with
        assertFalse(runner.run(SumStage.DEFINITION, config(Map.of("factor", "3")), false, stage::execute).memoised());
        assertEquals("30", Files.readString(PublishedOutputs.file(root, "run-1", "sum", "result")));

        assertFalse(runner.run(SumStage.DEFINITION, config(Map.of("factor", "3")), true, stage::execute).memoised(),
                "--force always runs");
        assertEquals(5, stage.executions.get());
    }

    @Test
    void crashBetweenOutputsAndManifestMeansTheStageRunsAgain() throws Exception {
        SumStage stage = new SumStage();
        ArtifactStore failingOnManifest = new ManifestWriteFails(new FileArtifactStore());
        assertThrows(IOException.class, () -> runner(failingOnManifest).run(SumStage.DEFINITION, config(Map.of()),
                false, stage::execute));
        assertTrue(Files.exists(root.resolve("run-1/sum/outputs/" + Sha256.of("12".getBytes(StandardCharsets.UTF_8))
                + "/result.txt")), "outputs were published (at their content address)");
        assertFalse(Files.exists(root.resolve("run-1/sum/manifest.json")), "but no manifest: they do not exist");

        StageRunner.Result again = runner(new FileArtifactStore()).run(SumStage.DEFINITION, config(Map.of()), false,
                stage::execute);
        assertFalse(again.memoised());
        assertEquals(2, stage.executions.get());
        assertTrue(Files.exists(root.resolve("run-1/sum/manifest.json")));
    }

    @Test
    void aStageThatThrowsPublishesNothing() throws Exception {
        SumStage stage = new SumStage();
        assertThrows(IllegalStateException.class, () -> runner(new FileArtifactStore()).run(SumStage.DEFINITION,
                config(Map.of("fail-after-outputs", "1")), false, stage::execute));
        assertFalse(Files.exists(root.resolve("run-1/sum")), "nothing may be published for a failed stage");
        try (var s = Files.list(tmp.resolve("work"))) {
            assertEquals(List.of(), s.toList(), "scratch folders are cleaned up");
        }
    }

    @Test
    void badInvocationsNameTheFieldAndWhatWasExpected() {
        SumStage stage = new SumStage();
        StageRunner runner = runner(new FileArtifactStore());
        BadInputException unknown = assertThrows(BadInputException.class, () -> runner.run(SumStage.DEFINITION,
                config(Map.of("facter", "3")), false, stage::execute));
        assertTrue(unknown.getMessage().contains("unknown parameter 'facter' for stage 'sum'"), unknown.getMessage());

        BadInputException type = assertThrows(BadInputException.class, () -> runner.run(SumStage.DEFINITION,
                config(Map.of("factor", "three")), false, stage::execute));
        assertEquals("parameter 'factor': expected an integer, got 'three'", type.getMessage());

        BadInputException choice = assertThrows(BadInputException.class, () -> runner.run(SumStage.DEFINITION,
                config(Map.of("mode", "xml")), false, stage::execute));
        assertTrue(choice.getMessage().contains("expected one of [plain, json]"), choice.getMessage());

        BadInputException noInput = assertThrows(BadInputException.class, () -> runner.run(SumStage.DEFINITION,
                new StageConfig("run-1", root.toString(), null, null, Map.of(), Map.of()), false, stage::execute));
        assertTrue(noInput.getMessage().contains("missing required input 'numbers'"), noInput.getMessage());

        BadInputException missingFile = assertThrows(BadInputException.class, () -> runner.run(SumStage.DEFINITION,
                new StageConfig("run-1", root.toString(), null, null, Map.of("numbers", tmp.resolve("nope").toString()),
                        Map.of()), false, stage::execute));
        assertTrue(missingFile.getMessage().contains("does not exist"), missingFile.getMessage());

        BadInputException runId = assertThrows(BadInputException.class, () -> runner.run(SumStage.DEFINITION,
                new StageConfig("../etc", root.toString(), null, null, Map.of("numbers", numbers.toString()), Map.of()),
                false, stage::execute));
        assertTrue(runId.getMessage().startsWith("--run-id"), runId.getMessage());
        assertEquals(0, stage.executions.get());
    }

    /** A real file store whose manifest write fails, as if the process died just before it. */
    static final class ManifestWriteFails implements ArtifactStore {
        private final ArtifactStore delegate;

        ManifestWriteFails(ArtifactStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public ArtifactInfo put(Path source, URI target) throws IOException {
            return delegate.put(source, target);
        }

        @Override
        public ArtifactInfo put(byte[] data, URI target) throws IOException {
            if (target.toString().endsWith("/manifest.json")) {
                throw new IOException("simulated crash before the manifest");
            }
            return delegate.put(data, target);
        }

        @Override
        public Optional<ArtifactInfo> putIfAbsent(byte[] data, URI target) throws IOException {
            return delegate.putIfAbsent(data, target);
        }

        @Override
        public InputStream open(URI source) throws IOException {
            return delegate.open(source);
        }

        @Override
        public ArtifactInfo download(URI source, Path target, String expectedSha256) throws IOException {
            return delegate.download(source, target, expectedSha256);
        }

        @Override
        public Optional<ArtifactInfo> stat(URI source) throws IOException {
            return delegate.stat(source);
        }

        @Override
        public List<ArtifactInfo> list(URI prefix) throws IOException {
            return delegate.list(prefix);
        }

        @Override
        public ArtifactInfo copy(URI source, URI target) throws IOException {
            return delegate.copy(source, target);
        }

        @Override
        public void delete(URI target) throws IOException {
            delegate.delete(target);
        }
    }
}
