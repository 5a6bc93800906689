/**
 * Second-stage classifier re-balancing of Decoupling (Kang et al., ICLR 2020), on frozen features: the joint
 * (instance-balanced) linear baseline and cRT ({@link dev.vlltr.core.calibrate.ClassifierRetrainer}), NCM
 * ({@link dev.vlltr.core.calibrate.NearestClassMeanClassifier}), tau-normalisation
 * ({@link dev.vlltr.core.calibrate.TauNormalizedClassifier}, {@link dev.vlltr.core.calibrate.TauSweep}) and LWS
 * ({@link dev.vlltr.core.calibrate.LearnableWeightScaling}), plus the BatchNorm policy of cRT/LWS
 * ({@link dev.vlltr.core.calibrate.BnPolicy}). Definitions follow the official {@code classifier-balancing} code.
 */
package dev.vlltr.core.calibrate;
