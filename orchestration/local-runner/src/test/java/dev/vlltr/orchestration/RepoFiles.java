package dev.vlltr.orchestration;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the tests read (the module runs with its own folder as working directory). */
final class RepoFiles {

    private RepoFiles() {}

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("orchestration/pipeline.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("orchestration/pipeline.yaml not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static Path pipelineYaml() {
        return root().resolve("orchestration/pipeline.yaml");
    }

    static Path pipelineSchema() {
        return root().resolve("orchestration/pipeline.schema.json");
    }
}
