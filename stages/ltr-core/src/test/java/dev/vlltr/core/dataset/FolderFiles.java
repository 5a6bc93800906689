package dev.vlltr.core.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Test helper: {@link DatasetFiles} over a local folder. The real file:// and s3:// ones ({@code LocalFolderFiles},
 * {@code StoreFiles}) live in {@code stages/stage-data}, which depends on ltr-core, so ltr-core's own tests cannot use
 * them and ltr-core itself does no I/O: this fixture stays.
 */
record FolderFiles(Path root) implements DatasetFiles {

    @Override
    public InputStream open(String relative) throws IOException {
        return Files.newInputStream(root.resolve(relative));
    }

    @Override
    public List<String> list(String dir) throws IOException {
        Path base = root.resolve(dir);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    @Override
    public String describe(String relative) {
        return root.resolve(relative).toString();
    }

    /** The repository's {@code datasets/} folder, found from the working directory upwards. */
    static Path repositoryDatasets() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("datasets/dataset.schema.json"))) {
                return d.resolve("datasets");
            }
        }
        throw new IllegalStateException("datasets/dataset.schema.json not found above " + Path.of("").toAbsolutePath());
    }
}
