package dev.vlltr.orchestration;

import java.nio.file.Path;

/** Files of the repository the tests read (the module runs with its own folder as working directory). */
final class RepoFiles {

    private RepoFiles() {}

    static Path root() {
        return PipelineSpecReader.findRepositoryRoot();
    }

    static Path pipelineYaml() {
        return root().resolve("orchestration/pipeline.yaml");
    }

    static Path pipelineSchema() {
        return root().resolve("orchestration/pipeline.schema.json");
    }
}
