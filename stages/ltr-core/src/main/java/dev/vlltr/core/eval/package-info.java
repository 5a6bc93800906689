/**
 * Evaluation of long-tailed classifiers from a score matrix: top-k accuracy ({@link dev.vlltr.core.eval.TopKAccuracy}),
 * per-class accuracy, confusion matrix, shot splits under the Decoupling, VL-LTR and relative-tercile conventions
 * ({@link dev.vlltr.core.eval.ShotSplit}), expected calibration error with reliability bins
 * ({@link dev.vlltr.core.eval.ExpectedCalibrationError}), bundled by {@link dev.vlltr.core.eval.Evaluator} into an
 * {@link dev.vlltr.core.eval.EvaluationReport}. Accuracies are fractions in [0, 1] (the official scripts print ×100).
 */
package dev.vlltr.core.eval;
