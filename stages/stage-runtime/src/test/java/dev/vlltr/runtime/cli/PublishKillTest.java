package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.cli.PublishListener.Phase;
import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.ArtifactVerifier;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.ArtifactStore;
import dev.vlltr.runtime.store.FileArtifactStore;
import dev.vlltr.runtime.store.S3ArtifactStore;
import dev.vlltr.runtime.testing.ChildJvm;
import dev.vlltr.runtime.testing.MinioServerExtension;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 18, defect 1: a re-run with another parameter, killed with SIGKILL while it publishes. A child JVM runs the
 * stage and stops at each publish phase (before the outputs, between two outputs, before the manifest, after it);
 * the test then kills it with {@code kill -9}, so no {@code finally} and no shutdown hook runs. Whatever the phase,
 * the manifest that stands must be valid with every output intact, and the next run must complete and clean up what
 * the killed one left. On a local folder and on a real MinIO server.
 */
class PublishKillTest {

    @RegisterExtension
    static final MinioServerExtension MINIO = new MinioServerExtension();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Phase.class)
    void killOnFileStoreLeavesTheStandingManifestValidAndTheRerunCompletes(Phase phase) throws Exception {
        killAndRerun(phase, tmp.resolve("root").toUri().toString(), new FileArtifactStore(), null);
    }

    @ParameterizedTest
    @EnumSource(Phase.class)
    void killOnMinioLeavesTheStandingManifestValidAndTheRerunCompletes(Phase phase) throws Exception {
        try (S3ArtifactStore store = new S3ArtifactStore(MINIO.server().config())) {
            killAndRerun(phase, "s3://artifacts/kill-" + phase.name().toLowerCase(), store,
                    MINIO.server().endpoint());
        }
    }

    private void killAndRerun(Phase phase, String root, ArtifactStore store, String endpoint) throws Exception {
        Path work = tmp.resolve("work");
        StageRunner runner = new StageRunner(store, work, new XcomWriter(tmp.resolve("no-xcom")));
        StageRunner.Result before = runner.run(PairStage.DEFINITION, config(root, 2), false,
                new PairStage()::execute);
        URI manifestUri = before.manifestUri();
        byte[] manifestBefore = store.readAllBytes(manifestUri, null);

        // the re-run with another parameter (factor 3) dies at the phase
        try (ChildJvm child = spawn(root, work, phase, endpoint)) {
            killWhenAt(child, phase);
        }

        byte[] standingBytes = store.readAllBytes(manifestUri, null);
        StageManifest standing = Manifests.parse(standingBytes, manifestUri);
        if (phase == Phase.AFTER_MANIFEST) {
            assertEquals("3", standing.params().get("factor"), "the manifest was written before the kill");
        } else {
            assertArrayEquals(manifestBefore, standingBytes, "the old manifest still stands");
        }
        assertEquals(Map.of(), ArtifactVerifier.problems(store, standing.outputs()),
                "every output of the standing manifest is intact");
        String factor = phase == Phase.AFTER_MANIFEST ? "3" : "2";
        assertEquals("first " + factor, text(store, standing.output("first")));
        assertEquals(1, scratchFolders(work).size(), "the killed execution left its scratch folder");
        Path partial = plantPartial(root);

        PairStage rerun = new PairStage();
        StageRunner.Result after = runner.run(PairStage.DEFINITION, config(root, 3), false, rerun::execute);
        assertEquals(phase == Phase.AFTER_MANIFEST, after.memoised());
        assertEquals(phase == Phase.AFTER_MANIFEST ? 0 : 1, rerun.executions.get());
        assertEquals("first 3", text(store, after.manifest().output("first")));
        assertEquals("second 9", text(store, after.manifest().output("second")));
        assertEquals(Map.of(), ArtifactVerifier.problems(store, after.manifest().outputs()));
        assertEquals(List.of(), scratchFolders(work), "the next start removes the killed execution's scratch");
        if (partial != null) {
            assertFalse(Files.exists(partial), "the next start removes .partial files of killed writers");
        }
        // outputs are never rewritten in place: the replaced manifest's files are still exactly what it says
        assertEquals(Map.of(), ArtifactVerifier.problems(store, before.manifest().outputs()));
    }

    static StageConfig config(String root, int factor) {
        return new StageConfig("run-k", root, null, null, Map.of(), Map.of("factor", Integer.toString(factor)));
    }

    private ChildJvm spawn(String root, Path work, Phase phase, String endpoint) throws IOException {
        List<String> args = new ArrayList<>(List.of(root, work.toString(), "run-k", "3", "0", phase.name(),
                tmp.resolve("at-" + phase).toString()));
        if (endpoint != null) {
            args.add(endpoint);
        }
        return ChildJvm.start(tmp.resolve("child-" + phase + ".log"), PublishKillMain.class.getName(), List.of(),
                args.toArray(String[]::new));
    }

    /** Waits (bounded) until the child reports the phase, then SIGKILLs it. */
    private void killWhenAt(ChildJvm child, Phase phase) throws Exception {
        Path marker = tmp.resolve("at-" + phase);
        child.await("publishing reaches " + phase, Duration.ofSeconds(120),
                () -> Files.exists(marker) && Files.size(marker) > 0);
        assertEquals(phase.name(), Files.readString(marker));
        assertEquals(137, child.kill(), "killed by signal 9");
    }

    private static String text(ArtifactStore store, ArtifactRef ref) throws IOException {
        return new String(store.readAllBytes(ref.uri(), ref.sha256()), StandardCharsets.UTF_8);
    }

    private static List<Path> scratchFolders(Path work) throws IOException {
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(Files::isDirectory).toList();
        }
    }

    /** What a writer killed before its rename leaves on a local root: a hidden '.partial' beside the target. */
    private static Path plantPartial(String root) throws IOException {
        if (!root.startsWith("file:")) {
            return null;
        }
        Path dir = Path.of(URI.create(root)).resolve("run-k/pair/outputs/0000");
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(".first.txt.0b9c1c1e.partial"), "half a fi");
    }
}
