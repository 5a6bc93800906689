/**
 * Training machinery shared by the stages: the AdamW optimizer with timm-style weight-decay groups, parameter groups
 * and exportable state (DJL's own optimizers cannot be checkpointed), the timm cosine learning-rate schedule with
 * warm-up, in-place parameter snapshots for resuming, and VL-LTR's two training loops — {@link
 * dev.vlltr.core.train.CvlpTrainer} (stage 1, per-class sentence draws, {@code λ·L_ccl + (1−λ)·L_dis}) and {@link
 * dev.vlltr.core.train.LgrTrainer} (stage 2, {@code CE(P^I) + CE(P^T)}, Mixup/CutMix) — with Anchor Sentence
 * Selection and the CVLP evaluation on embeddings (zero-shot prototypes, image↔text retrieval).
 */
package dev.vlltr.core.train;
