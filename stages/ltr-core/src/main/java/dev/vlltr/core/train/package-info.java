/**
 * Training machinery shared by the stages: the AdamW optimizer with timm-style weight-decay groups, parameter groups
 * and exportable state (DJL's own optimizers cannot be checkpointed), the timm cosine learning-rate schedule with
 * warm-up, {@code torch.optim.SGD} numerics ({@link dev.vlltr.core.train.TorchSgd}), in-place parameter snapshots for
 * resuming, and the one training loop {@link dev.vlltr.core.train.EpochTrainer} (model, optimizer, schedule, state
 * export/import; one hook: a batch → its loss parts) with its trainers: VL-LTR's
 * {@link dev.vlltr.core.train.CvlpTrainer} (stage 1, per-class sentence
 * draws, {@code (1−λ)·L_ccl + λ·L_dis}) and {@link dev.vlltr.core.train.LgrTrainer} (stage 2,
 * {@code CE(P^I) + CE(P^T)}, Mixup/CutMix) with Anchor Sentence Selection and the CVLP evaluation on embeddings
 * (zero-shot prototypes, image↔text retrieval), and end-to-end softmax cross-entropy training of a ResNet classifier
 * ({@link dev.vlltr.core.train.CrossEntropyTrainer} driven by {@link dev.vlltr.core.train.SupervisedTrainer},
 * {@link dev.vlltr.core.train.SupervisedModel}: Decoupling's stage 1
 * and the plain CE baseline).
 */
package dev.vlltr.core.train;
