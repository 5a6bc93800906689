/**
 * The {@code lgr} stage: VL-LTR's language-guided recognition head on the frozen CVLP image tower (thin wiring of
 * {@link dev.vlltr.core.train.LgrTrainer}); it also writes the per-split features and logits that the
 * re-calibration and evaluation stages read.
 */
package dev.vlltr.stage.lgr;
