/**
 * The networks of the VL-LTR stack as DJL blocks: the CIFAR-style ResNet vision encoder with its projection to the
 * joint embedding, the trainable projection over frozen pretrained sentence embeddings (all-MiniLM-L6-v2), the
 * learnable logit scale, the CVLP dual encoder, the LGR head (language-guided recognition) with its inference mix,
 * and the teacher used for distillation.
 */
package dev.vlltr.core.model;
