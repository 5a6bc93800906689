package dev.vlltr.stage.cvlp;

import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.store.ArtifactInfo;
import dev.vlltr.runtime.store.ArtifactUris;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bundle input of cvlp (a folder URI ending with '/', file:// or s3://): its named files fetched into the scratch
 * folder, each verified against the listing's SHA-256. The folder's digest is the runtime's (in the fingerprint).
 */
final class BundleFolder {

    private BundleFolder() {}

    /**
     * @param ctx   the stage
     * @param input the input's name
     * @param kind  what the bundle is, for messages ("teacher bundle", "CLIP bundle")
     * @param files the files it must hold (others are ignored)
     * @param hint  how to make one, appended to the missing-file message
     * @return the local folder with the files
     */
    static Path fetch(StageContext ctx, String input, String kind, List<String> files, String hint)
            throws IOException {
        String where = "input '" + input + "'";
        URI folder = ctx.input(input).uri();
        if (!folder.toString().endsWith("/")) {
            throw new BadInputException(where + ": expected the URI of a " + kind + " folder ending with '/' ("
                    + String.join(", ", files) + " inside), got " + folder);
        }
        Map<String, ArtifactInfo> listed = new LinkedHashMap<>();
        for (ArtifactInfo f : ctx.store().list(folder)) {
            listed.put(ArtifactUris.relativize(folder, f.uri()), f);
        }
        Path dir = ctx.scratch().resolve("inputs").resolve(input);
        for (String name : files) {
            ArtifactInfo f = listed.get(name);
            if (f == null) {
                throw new BadInputException(where + ": the " + kind + " " + folder + " has no " + name + " (a bundle"
                        + " is a folder with " + String.join(", ", files) + hint + ")");
            }
            ctx.store().download(f.uri(), dir.resolve(name), f.sha256());
        }
        return dir;
    }
}
