package dev.vlltr.stagedata;

import dev.vlltr.core.dataset.DatasetFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Dataset files in a local folder ({@code file://}). */
public record LocalFolderFiles(Path root) implements DatasetFiles {

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
}
