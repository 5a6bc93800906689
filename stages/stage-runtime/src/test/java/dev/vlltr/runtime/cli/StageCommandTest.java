package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage app contract seen from the command line: help, exit codes, config files. */
class StageCommandTest {

    @TempDir
    Path tmp;

    CommandRun run(StageCommand cmd, String... args) {
        return CommandRun.of(cmd, args);
    }

    @Test
    void helpDocumentsCommonOptionsInputsAndEveryParameterWithItsDefault() {
        CommandRun r = run(new SumStage(), "--help");
        assertEquals(0, r.code());
        for (String expected : new String[] {"--run-id", "--artifact-root", "--input", "--param", "--config",
            "--tracking-uri", "--force", "Inputs (--input NAME=URI):", "numbers", "Parameters (--param KEY=VALUE):",
            "factor", "Multiplier of the sum (default: 2)", "One of plain, json.", "Exit codes:"}) {
            assertTrue(r.out().contains(expected), "help lacks '" + expected + "':\n" + r.out());
        }
    }

    @Test
    void exitCodesFollowTheStageContract() throws Exception {
        Path numbers = tmp.resolve("n.txt");
        Files.writeString(numbers, "4\n5\n");
        String root = tmp.resolve("root").toString();

        CommandRun ok = run(new SumStage(), "--run-id", "r1", "--artifact-root", root, "--input", "numbers=" + numbers,
                "--param", "factor=10", "--xcom-dir", tmp.resolve("no-xcom").toString());
        assertEquals(0, ok.code(), ok.err());
        assertEquals("90", Files.readString(PublishedOutputs.file(tmp.resolve("root"), "r1", "sum", "result")));

        CommandRun unknownParam = run(new SumStage(), "--run-id", "r1", "--artifact-root", root, "--input",
                "numbers=" + numbers, "--param", "nope=1");
        assertEquals(2, unknownParam.code());
        assertTrue(unknownParam.err().contains("unknown parameter 'nope' for stage 'sum'"), unknownParam.err());

        Path bad = tmp.resolve("bad.txt");
        Files.writeString(bad, "4\nfive\n");
        CommandRun badData = run(new SumStage(), "--run-id", "r2", "--artifact-root", root, "--input",
                "numbers=" + bad);
        assertEquals(2, badData.code());
        assertTrue(badData.err().contains(bad.toUri() + ": expected one integer per line, got 'five'"), badData.err());

        CommandRun crash = run(new SumStage(), "--run-id", "r3", "--artifact-root", root, "--input",
                "numbers=" + numbers, "--param", "fail-after-outputs=1");
        assertEquals(1, crash.code());
        assertTrue(crash.err().contains("simulated crash"), crash.err());

        CommandRun noRunId = run(new SumStage(), "--artifact-root", root, "--input", "numbers=" + numbers);
        assertEquals(2, noRunId.code());
        assertTrue(noRunId.err().contains("--run-id"), noRunId.err());

        CommandRun unknownOption = run(new SumStage(), "--bogus");
        assertEquals(2, unknownOption.code());
    }

    @Test
    void configFileIsOverlaidByTheCommandLine() throws Exception {
        Path numbers = tmp.resolve("n.txt");
        Files.writeString(numbers, "1\n1\n");
        Path cfg = tmp.resolve("stage.yaml");
        Files.writeString(cfg, "runId: from-file\nartifactRoot: " + tmp.resolve("root") + "\n"
                + "inputs:\n  numbers: " + numbers + "\nparams:\n  factor: 5\n  mode: json\n");
        CommandRun r = run(new SumStage(), "--config", cfg.toString(), "--param", "factor=7");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\"result\":14}", Files.readString(PublishedOutputs.file(tmp.resolve("root"), "from-file", "sum",
                "result")));

        Files.writeString(cfg, "runId: x\nartifact_root: /tmp\n");
        CommandRun bad = run(new SumStage(), "--config", cfg.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains(cfg + ": unknown field 'artifact_root'"), bad.err());

        CommandRun missing = run(new SumStage(), "--config", tmp.resolve("missing.yaml").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("file not found"), missing.err());
    }

    @Test
    void trackingGoesToAnMlflowFileStoreNestedUnderThePipelineRun() throws Exception {
        Path numbers = tmp.resolve("n.txt");
        Files.writeString(numbers, "4\n5\n");
        Path mlruns = tmp.resolve("mlruns");
        CommandRun ok = run(new SumStage(), "--run-id", "r9", "--artifact-root", tmp.resolve("root").toString(),
                "--input", "numbers=" + numbers, "--param", "factor=3", "--tracking-uri", mlruns.toString(),
                "--experiment", "demo");
        assertEquals(0, ok.code(), ok.err());
        Path stageRun;
        try (var s = Files.walk(mlruns)) {
            stageRun = s.filter(p -> p.endsWith(Path.of("tags", "vlltr.stage"))).map(p -> p.getParent().getParent())
                    .findFirst().orElseThrow(() -> new AssertionError("no stage run in " + mlruns));
        }
        assertEquals("sum", Files.readString(stageRun.resolve("tags/vlltr.stage")));
        assertEquals("3", Files.readString(stageRun.resolve("params/factor")));
        assertEquals(3, Files.readAllLines(stageRun.resolve("metrics/loss")).size());
        assertTrue(Files.readString(stageRun.resolve("metrics/result")).contains(" 27.0 0"));
        assertTrue(Files.exists(stageRun.resolve("artifacts/manifest.json")));
        assertTrue(Files.readString(stageRun.resolve("meta.yaml")).contains("status: 3"), "FINISHED");
        assertTrue(Files.exists(stageRun.resolve("tags/mlflow.parentRunId")), "nested under the pipeline run");
    }
}
