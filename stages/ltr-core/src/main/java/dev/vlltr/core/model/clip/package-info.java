/**
 * OpenAI CLIP's towers as trainable DJL blocks: {@link dev.vlltr.core.model.clip.ClipModifiedResNet} (RN50),
 * {@link dev.vlltr.core.model.clip.ClipVisionTransformer} (ViT-B/16) and {@link
 * dev.vlltr.core.model.clip.ClipTextTransformer}, built from CLIP's {@code clip/model.py} definitions with the same
 * parameter names, shapes and initialisation, and {@link dev.vlltr.core.model.clip.ClipStateDict} which copies a
 * PyTorch state dict (by CLIP's names) into them. No I/O: the tensors come from the caller.
 */
package dev.vlltr.core.model.clip;
