package dev.vlltr.registry.dto;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Where a version came from: pipeline run, MLflow run, code version, dataset and text corpus. */
public record Lineage(
        @Size(max = 250) String pipelineRunId,
        @Pattern(regexp = Patterns.MLFLOW_RUN_ID) String mlflowRunId,
        @Size(max = 250) String codeVersion,
        @Size(max = 250) String datasetId,
        @Size(max = 250) String corpusId) {}
