/**
 * Training machinery shared by the stages: the AdamW optimizer with timm-style weight-decay groups and exportable
 * state (DJL's own optimizers cannot be checkpointed), and the timm cosine learning-rate schedule with warm-up.
 */
package dev.vlltr.core.train;
