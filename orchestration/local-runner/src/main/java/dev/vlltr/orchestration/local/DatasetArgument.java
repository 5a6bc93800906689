package dev.vlltr.orchestration.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The local runner's {@code --dataset}: what a user types (a path on this machine, a URI, or a shipped dataset's name)
 * as the value of the pipeline parameter {@code dataset}, which the stages get as their input {@code dataset}. A path
 * becomes a {@code file://} URI here, because the stage processes run in other working directories.
 */
final class DatasetArgument {

    /** A shipped dataset's name, as pipeline.yaml's {@code dataset} pattern allows it. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

    private DatasetArgument() {}

    /**
     * @param text an existing file (the dataset.yaml) or folder (holding dataset.yaml), a URI with a scheme, or a name
     * @return a {@code file://} URI for a path, else the text as given
     * @throws IllegalArgumentException a folder without dataset.yaml, or text that is neither path, URI nor name
     */
    static String uriOrName(String text) {
        String t = text.strip();
        if (t.contains("://")) {
            return t;
        }
        Path path = Path.of(t);
        if (Files.isDirectory(path)) {
            Path spec = path.resolve("dataset.yaml");
            if (!Files.isRegularFile(spec)) {
                throw new IllegalArgumentException("--dataset " + text + ": the folder has no dataset.yaml");
            }
            return spec.toAbsolutePath().normalize().toUri().toString();
        }
        if (Files.isRegularFile(path)) {
            return path.toAbsolutePath().normalize().toUri().toString();
        }
        if (NAME.matcher(t).matches()) {
            return t;
        }
        throw new IllegalArgumentException("--dataset " + text + ": expected a dataset.yaml or its folder on this"
                + " machine (no such file), an s3:// or file:// URI, or the name of a shipped dataset (datasets/<name>/)");
    }
}
