package dev.vlltr.orchestration.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.orchestration.PipelineSpec;
import dev.vlltr.orchestration.PipelineSpecReader;
import dev.vlltr.orchestration.local.LocalRun.Outcome;
import dev.vlltr.orchestration.local.LocalRun.Status;
import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.store.ArtifactStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline as the README's first command runs it, on the quick profile: every stage jar as its own process,
 * file:// artifacts, the MLflow file store, the registry on its embedded PostgreSQL; then the same run again, which
 * must skip every stage.
 */
class QuickPipelineTest {

    @Test
    void quickProfileRunsEndToEndRegistersAndIsMemoisedOnReRun(@TempDir Path work) throws Exception {
        Path repo = PipelineSpecReader.findRepositoryRoot();
        PipelineSpec spec = PipelineSpecReader.read(repo.resolve(PipelineSpecReader.REPOSITORY_PATH));
        Map<String, Object> params = new LinkedHashMap<>(
                PipelineParams.readProfile(repo.resolve("orchestration/profiles/quick.yaml"), spec));
        String artifacts = work.resolve("artifacts").toUri().toString();
        String tracking = work.resolve("mlruns").toUri().toString();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(java, repo.resolve(LocalRunCommand.REGISTRY_JAR),
                work.resolve("registry-db"), work.resolve("logs/registry.log"), Duration.ofMinutes(3))) {
            Map<String, String> env = Map.of("VLLTR_REGISTRY_URL", registry.url().toString(),
                    "VLLTR_REGISTRY_API_KEY", registry.apiKey());
            LocalRun.Settings settings = new LocalRun.Settings(repo, spec, "quick", artifacts, tracking, params,
                    work.resolve("logs"), work.resolve("scratch"), java, List.of(), env);

            List<Outcome> first = new LocalRun(settings).execute(new LocalRunTest.Recorder());
            for (Outcome o : first) {
                assertEquals(Status.RAN, o.status(), () -> o.id() + " failed; its log ends with:\n"
                        + String.join("\n", StageProcess.tail(o.log(), 40)));
            }
            assertEquals(10, first.size());

            StageManifest evaluation = Manifests.read(ArtifactStores.fromEnv(), first.get(9).manifest()).orElseThrow();
            List<String> files = evaluation.outputs().values().stream().map(ArtifactRef::uri).map(URI::getPath)
                    .collect(Collectors.toList());
            assertTrue(files.stream().anyMatch(f -> f.endsWith(".md")), files.toString());
            assertTrue(files.stream().anyMatch(f -> f.endsWith(".html")), files.toString());
            assertTrue(files.stream().anyMatch(f -> f.endsWith(".png")), files.toString());
            assertTrue(Files.isDirectory(work.resolve("mlruns")));

            HttpResponse<String> versions = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(registry.url().resolve("/api/v1/models/vl-ltr/versions"))
                            .header("X-API-Key", registry.apiKey()).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, versions.statusCode(), versions.body());
            assertTrue(versions.body().contains("\"quick\""), "the version's lineage names the run: " + versions.body());
            assertTrue(versions.body().contains("\"shots\""), "shot-split metrics registered: " + versions.body());
            assertTrue(versions.body().contains("manifest.json"), "input manifests as artifacts: " + versions.body());

            List<Outcome> again = new LocalRun(settings).execute(new LocalRunTest.Recorder());
            assertTrue(again.stream().allMatch(o -> o.status() == Status.MEMOISED),
                    again.stream().map(o -> o.id() + "=" + o.status()).toList().toString());
        }
    }
}
