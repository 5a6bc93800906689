/**
 * The pipeline as data: {@link dev.vlltr.orchestration.PipelineSpec} parsed strictly from
 * {@code orchestration/pipeline.yaml} (the single source of truth shared with the Airflow DAG), the stage command
 * lines it implies ({@link dev.vlltr.orchestration.StageArguments}), and the check that a stage app's declared
 * parameters and inputs agree with the spec ({@link dev.vlltr.orchestration.SpecConformance}).
 */
package dev.vlltr.orchestration;
