/**
 * Training machinery shared by the stages: the AdamW optimizer with timm-style weight-decay groups and exportable
 * state (DJL's own optimizers cannot be checkpointed), the timm cosine learning-rate schedule with warm-up,
 * {@code torch.optim.SGD} numerics ({@link dev.vlltr.core.train.TorchSgd}) and end-to-end softmax cross-entropy
 * training of a ResNet classifier ({@link dev.vlltr.core.train.SupervisedTrainer},
 * {@link dev.vlltr.core.train.SupervisedModel}: Decoupling's stage 1 and the plain CE baseline).
 */
package dev.vlltr.core.train;
