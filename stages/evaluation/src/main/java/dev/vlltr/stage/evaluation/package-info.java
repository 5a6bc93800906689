/**
 * The {@code evaluation} stage: every model of a pipeline run (LGR's branches and mixes, each recalibration method)
 * on the same validation and test splits — top-1/top-5, shot splits under the Decoupling and VL-LTR conventions and
 * terciles, per-class accuracy, confusion matrix, ECE — as a comparison table, plots, an HTML report and the
 * registration record of the selected model (thin wiring of {@code dev.vlltr.core.eval} and
 * {@code dev.vlltr.runtime.report}).
 */
package dev.vlltr.stage.evaluation;
