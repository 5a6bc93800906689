package dev.vlltr.orchestration.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.orchestration.PipelineSpec;
import dev.vlltr.orchestration.PipelineSpecReader;
import dev.vlltr.orchestration.StageExecution;
import dev.vlltr.orchestration.local.LocalRun.Outcome;
import dev.vlltr.orchestration.local.LocalRun.Status;
import dev.vlltr.runtime.manifest.Manifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner executing real stage jars as separate processes: the text-crawl stage of pipeline.yaml (built by
 * the reactor before this module), run, re-run (memoised), and failing with a clear report.
 */
class LocalRunTest {

    static final Path REPO = PipelineSpecReader.findRepositoryRoot();
    static final PipelineSpec FULL = PipelineSpecReader.read(REPO.resolve(PipelineSpecReader.REPOSITORY_PATH));
    /** pipeline.yaml cut down to its first stage. */
    static final PipelineSpec TEXT_ONLY = new PipelineSpec(FULL.apiVersion(), FULL.kind(), FULL.name(),
            FULL.description(), FULL.images(), FULL.defaults(), FULL.kubernetes(), FULL.params(),
            List.of(FULL.stage("text-crawl")));

    static LocalRun run(Path work, Map<String, Object> params) {
        String artifacts = work.resolve("artifacts").toUri().toString();
        // shipped datasets by name from the repository, as LocalRunCommand sets it
        params.putIfAbsent("data_root", WorkFolder.fileUri(REPO.resolve("datasets")));
        return new LocalRun(new LocalRun.Settings(REPO, TEXT_ONLY, "t1", artifacts, "none", params,
                work.resolve("logs"), work.resolve("scratch"), Path.of(System.getProperty("java.home"), "bin", "java"),
                List.of("-Xmx512m"), Map.of()));
    }

    /** Records what the display is told. */
    static final class Recorder implements LocalRun.RunDisplay {
        final List<String> events = new ArrayList<>();

        @Override
        public void started(List<StageExecution> plan) {
            events.add("plan " + plan.size());
        }

        @Override
        public void stageStarted(int index, StageExecution exec) {
            events.add("start " + exec.id());
        }

        @Override
        public void stageOutput(StageExecution exec, String lastLine) {
        }

        @Override
        public void stageFinished(int index, StageExecution exec, Outcome outcome) {
            events.add("finish " + exec.id() + " " + outcome.status());
        }

        @Override
        public void finished(List<Outcome> outcomes) {
            events.add("end");
        }
    }

    @Test
    void runsTheStageJarThenSkipsItWhenNothingChanged(@TempDir Path work) throws Exception {
        Recorder first = new Recorder();
        List<Outcome> ran = run(work, new LinkedHashMap<>()).execute(first);
        assertEquals(1, ran.size());
        Outcome o = ran.get(0);
        assertEquals(Status.RAN, o.status(), () -> String.join("\n", StageProcess.tail(o.log(), 30)));
        assertTrue(Files.isRegularFile(work.resolve("artifacts/t1/text-crawl/manifest.json")));
        Path manifest = work.resolve("artifacts/t1/text-crawl/manifest.json");
        // outputs live at content addresses: found through the manifest, as consumers find them
        Path corpus = Path.of(Manifests.parse(Files.readAllBytes(manifest), manifest.toUri()).output("corpus").uri());
        assertTrue(Files.size(corpus) > 1000);
        assertTrue(o.metrics().keySet().stream().anyMatch(k -> k.contains("sentences")), o.metrics().toString());
        assertEquals(List.of("plan 1", "start text-crawl", "finish text-crawl RAN", "end"), first.events);

        List<Outcome> again = run(work, new LinkedHashMap<>()).execute(new Recorder());
        assertEquals(Status.MEMOISED, again.get(0).status());
    }

    @Test
    void aFailingStageIsReportedWithItsExitCodeAndLog(@TempDir Path work) throws Exception {
        Map<String, Object> params = new LinkedHashMap<>(Map.of("dataset", "no-such-dataset"));
        List<Outcome> outcomes = run(work, params).execute(new Recorder());
        Outcome o = outcomes.get(0);
        assertEquals(Status.FAILED, o.status());
        assertEquals(2, o.exitCode());
        String log = String.join("\n", StageProcess.tail(o.log(), 50));
        assertTrue(log.contains("no-such-dataset"), log);
        assertTrue(Files.notExists(work.resolve("artifacts/t1/text-crawl/manifest.json")));
    }

    @Test
    void missingJarsAreNamedBeforeAnythingRuns(@TempDir Path work) {
        LocalRun full = new LocalRun(new LocalRun.Settings(work, FULL, "t1", work.toUri().toString(), "none",
                Map.of(), work, work, Path.of("java"), List.of(), Map.of()));
        IllegalStateException e = assertThrows(IllegalStateException.class, full::stageJars);
        assertTrue(e.getMessage().contains("stage jars not built: text-crawl"), e.getMessage());
        assertTrue(e.getMessage().contains("./mvnw -B -ntp -DskipTests package"), e.getMessage());
    }

    @Test
    void pipelineParametersAreTypedAndChecked() {
        Map<String, Object> v = PipelineParams.parse(List.of("cvlp_epochs=3", "lambda=0.25", "methods=crt, tau"),
                FULL);
        assertEquals(3L, v.get("cvlp_epochs"));
        assertEquals(0.25, v.get("lambda"));
        assertEquals(List.of("crt", "tau"), v.get("methods"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PipelineParams.parse(List.of("epochs=3"), FULL)).getMessage().contains("unknown pipeline"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PipelineParams.parse(List.of("lambda=2"), FULL)).getMessage().contains("outside"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PipelineParams.parse(List.of("methods=crt,bogus"), FULL)).getMessage().contains("'bogus'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PipelineParams.parse(List.of("seed=x"), FULL)).getMessage().contains("not a valid integer"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> PipelineParams.parse(List.of("seed"), FULL)).getMessage().contains("KEY=VALUE"));
    }

    @Test
    void theShippedProfilesAreValid() {
        for (String name : List.of("default", "quick")) {
            Map<String, Object> values = PipelineParams.readProfile(
                    REPO.resolve("orchestration/profiles/" + name + ".yaml"), FULL);
            LinkedHashMap<String, Object> params = new LinkedHashMap<>(values);
            assertEquals(10, new LocalRun(new LocalRun.Settings(REPO, FULL, "p", "file:///tmp/x", "none", params,
                    REPO, REPO, Path.of("java"), List.of(), Map.of())).plan().size(), name);
        }
    }
}
