package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.manifest.StageManifest;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds an output of an upstream stage by its file name. A manifest records outputs under the name the stage gave
 * them ({@code ctx.output(name, fileName)}, names {@code [a-z][a-z0-9_-]*}) with the URI of the published file; this
 * accepts either the output named like the file's stem ({@code features-train} for {@code features-train.vlft}) or
 * any output whose file is {@code fileName}, and downloads it verified against the manifest's digest.
 */
public final class UpstreamFiles {

    private UpstreamFiles() {}

    /** The output name under which {@code fileName} is recorded in the manifest of input {@code input}. */
    public static String outputName(StageContext ctx, String input, String fileName) throws IOException {
        StageManifest m = ctx.inputManifest(input);
        String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        if (m.outputs().containsKey(stem)) {
            return stem;
        }
        for (Map.Entry<String, ArtifactRef> e : m.outputs().entrySet()) {
            if (ArtifactUris.fileName(e.getValue().uri()).equals(fileName)) {
                return e.getKey();
            }
        }
        throw new BadInputException("input '" + input + "' (stage '" + m.stage() + "' of run '" + m.runId()
                + "'): its manifest has no output '" + stem + "' and no output file '" + fileName + "'; outputs: "
                + m.outputs().keySet());
    }

    public static boolean has(StageContext ctx, String input, String fileName) throws IOException {
        try {
            outputName(ctx, input, fileName);
            return true;
        } catch (BadInputException e) {
            return false;
        }
    }

    /** Downloads the upstream file (verified) and returns its local path. */
    public static Path fetch(StageContext ctx, String input, String fileName) throws IOException {
        return ctx.fetchUpstreamOutput(input, outputName(ctx, input, fileName));
    }
}
