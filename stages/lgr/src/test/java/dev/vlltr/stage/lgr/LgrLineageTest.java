package dev.vlltr.stage.lgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.StageConfig;
import dev.vlltr.runtime.cli.StageDefinition;
import dev.vlltr.runtime.cli.StageRunner;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.FileArtifactStore;
import dev.vlltr.runtime.testing.CommandRun;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, defect 2: lgr given anchors that were selected with another cvlp model than its own cvlp input exits 2,
 * naming both cvlp manifests, before it loads any model. The upstream manifests are real manifests written by the
 * stage runtime (with stand-in outputs: the check must fail before any of them is read).
 */
class LgrLineageTest {

    @TempDir
    Path tmp;

    private URI publish(StageDefinition def, String runId, Map<String, String> inputs, String content)
            throws Exception {
        StageRunner runner = new StageRunner(new FileArtifactStore(), tmp.resolve("work"),
                new XcomWriter(tmp.resolve("no-xcom")));
        return runner.run(def, new StageConfig(runId, tmp.resolve("up-root").toString(), null, null, inputs, Map.of()),
                false, ctx -> Files.writeString(ctx.output("encoders", "stand-in.txt"), content)).manifestUri();
    }

    @Test
    void anchorsSelectedWithAnotherCvlpModelAreExitTwoNamingBothManifests() throws Exception {
        StageDefinition cvlp = new StageDefinition("cvlp", "stand-in", List.of(), List.of());
        StageDefinition anchors = new StageDefinition("anchor-selection", "stand-in", List.of(),
                List.of(InputSpec.required("cvlp", "cvlp manifest")));
        URI cvlpA = publish(cvlp, "run-a", Map.of(), "model a");
        URI cvlpB = publish(cvlp, "run-b", Map.of(), "model b");
        URI anchorsFromB = publish(anchors, "run-b", Map.of("cvlp", cvlpB.toString()), "anchors of b");

        CommandRun r = CommandRun.of(new LgrCommand(), "--run-id", "run-a", "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "cvlp=" + cvlpA, "--input", "anchors=" + anchorsFromB);
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains(cvlpA.toString()) && err.contains(cvlpB.toString()), err);
        assertTrue(err.contains("descend from different cvlp runs"), err);
        assertFalse(Files.exists(tmp.resolve("root/run-a/lgr/manifest.json")));
    }
}
