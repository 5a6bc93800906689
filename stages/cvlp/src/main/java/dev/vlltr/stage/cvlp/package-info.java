/**
 * The {@code cvlp} stage: VL-LTR's class-wise contrastive vision-language pre-training on the long-tailed train
 * subset (thin wiring of {@link dev.vlltr.core.train.CvlpTrainer}), with per-epoch checkpoints, evaluation and
 * tracking.
 */
package dev.vlltr.stage.cvlp;
