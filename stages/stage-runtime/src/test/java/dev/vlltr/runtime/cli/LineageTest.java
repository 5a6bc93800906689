package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, defect 2: a stage whose inputs descend from different upstream runs (lgr given anchors selected with
 * another cvlp model) exits 2 naming both manifests. Here {@code combine} takes {@code sum} and {@code double}, and
 * {@code double} must have been made from that {@code sum}.
 */
class LineageTest {

    @TempDir
    Path tmp;

    Path root;

    @BeforeEach
    void upstreams() throws Exception {
        root = tmp.resolve("root");
        run(new SumStage(), "run-a", "--input", "numbers=" + Files.writeString(tmp.resolve("a.txt"), "1\n2\n3\n"));
        run(new SumStage(), "run-b", "--input", "numbers=" + Files.writeString(tmp.resolve("b.txt"), "4\n5\n"));
        run(new DoubleStage(), "run-a", "--input", "sum=" + manifest("run-a", "sum"));
    }

    private CommandRun run(StageCommand stage, String runId, String... args) {
        String[] common = {"--run-id", runId, "--artifact-root", root.toString(), "--xcom-dir",
            tmp.resolve("no-xcom").toString()};
        CommandRun r = CommandRun.of(stage, MemoisationVerifiesTest.concat(common, args));
        return r;
    }

    private Path manifest(String runId, String stage) {
        return root.resolve(runId).resolve(stage).resolve("manifest.json");
    }

    @Test
    void inputsFromDifferentUpstreamRunsExitTwoNamingBothManifests() {
        CommandRun r = run(new CombineStage(), "run-c", "--input", "sum=" + manifest("run-b", "sum"), "--input",
                "double=" + manifest("run-a", "double"));
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(manifest("run-a", "sum").toUri().toString()), "the sum double was made from: " + err);
        assertTrue(err.contains(manifest("run-b", "sum").toUri().toString()), "the sum given: " + err);
        assertTrue(err.contains(manifest("run-a", "double").toUri().toString()), err);
        assertFalse(Files.exists(manifest("run-c", "combine")), "nothing published");
    }

    @Test
    void inputsOfOneLineageRunAndAnUpstreamRerunWithTheSameBytesStaysTheSameLineage() throws Exception {
        CommandRun ok = run(new CombineStage(), "run-c", "--input", "sum=" + manifest("run-a", "sum"), "--input",
                "double=" + manifest("run-a", "double"));
        assertEquals(0, ok.code(), ok.err());
        assertEquals("36", Files.readString(PublishedOutputs.file(root, "run-c", "combine", "result")));   // 12 + 24

        // sum runs again and reproduces its bytes: a new manifest file, but the same outputs, so the same lineage
        byte[] before = Files.readAllBytes(manifest("run-a", "sum"));
        run(new SumStage(), "run-a", "--input", "numbers=" + tmp.resolve("a.txt"), "--force");
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(manifest("run-a", "sum"))));
        CommandRun again = run(new CombineStage(), "run-d", "--input", "sum=" + manifest("run-a", "sum"), "--input",
                "double=" + manifest("run-a", "double"));
        assertEquals(0, again.code(), again.err());
    }
}
