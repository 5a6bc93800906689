/**
 * The {@code anchor-selection} stage: VL-LTR's Anchor Sentence Selection (AnSS) and the cut-off / random baselines,
 * producing the LGR text memory (thin wiring of {@link dev.vlltr.core.train.AnchorSentenceSelection}).
 */
package dev.vlltr.stage.anchors;
