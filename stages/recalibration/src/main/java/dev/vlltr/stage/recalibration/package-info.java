/**
 * The {@code recalibration} stage: Decoupling's classifier re-balancing (joint, cRT, NCM, τ-normalisation, LWS) on
 * the frozen features of the LGR stage or of a plain cross-entropy ResNet trained here (thin wiring of
 * {@code dev.vlltr.core.calibrate} and {@code dev.vlltr.core.train}).
 */
package dev.vlltr.stage.recalibration;
