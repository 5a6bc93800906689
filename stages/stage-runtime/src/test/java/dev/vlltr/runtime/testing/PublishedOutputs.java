package dev.vlltr.runtime.testing;

import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds a stage's published output on a local artifact root the way consumers do: through the stage's manifest.
 * Outputs live at content addresses ({@code <stage>/outputs/<sha256>/<file>}), so tests must not guess their paths.
 */
public final class PublishedOutputs {

    private PublishedOutputs() {}

    /**
     * The local file published as {@code fileName} by the stage whose folder is {@code stageDir} (its manifest's
     * output with that file name); {@code manifest.json} is the manifest itself.
     */
    public static Path in(Path stageDir, String fileName) throws IOException {
        if (fileName.equals(StageManifest.FILE_NAME)) {
            return stageDir.resolve(fileName);
        }
        return find(stageDir, fileName).orElseThrow(() -> new IllegalStateException("the manifest in " + stageDir
                + " lists no output file " + fileName));
    }

    /** Whether the stage whose folder is {@code stageDir} published a file named {@code fileName}. */
    public static boolean has(Path stageDir, String fileName) throws IOException {
        return find(stageDir, fileName).isPresent();
    }

    private static Optional<Path> find(Path stageDir, String fileName) throws IOException {
        Path manifest = stageDir.resolve(StageManifest.FILE_NAME);
        StageManifest m = Manifests.parse(Files.readAllBytes(manifest), manifest.toUri());
        return m.outputs().values().stream().map(ref -> Path.of(ref.uri()))
                .filter(p -> p.getFileName().toString().equals(fileName)).findFirst();
    }

    /** The local file of output {@code output} of stage {@code stage} in run {@code runId} under {@code root}. */
    public static Path file(Path root, String runId, String stage, String output) throws IOException {
        Path manifest = root.resolve(runId).resolve(stage).resolve(StageManifest.FILE_NAME);
        StageManifest m = Manifests.parse(Files.readAllBytes(manifest), manifest.toUri());
        URI uri = m.output(output).uri();
        return Path.of(uri);
    }
}
