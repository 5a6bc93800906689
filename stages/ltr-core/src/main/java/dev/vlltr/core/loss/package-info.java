/**
 * Training losses of the VL-LTR / UniCL stack, written on DJL {@link ai.djl.ndarray.NDArray}s so that autograd
 * differentiates them: the multi-positive contrastive loss (VL-LTR L_ccl = UniCL bidirectional loss), the
 * soft-target distillation from a teacher (L_dis and the λ mix) and the two-branch cross-entropy of the LGR head.
 * Every formula follows the official code as summarised in {@code ml-anchors.md}; every deviation is a named option
 * whose default is the faithful behaviour.
 */
package dev.vlltr.core.loss;
