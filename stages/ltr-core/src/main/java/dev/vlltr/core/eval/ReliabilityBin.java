package dev.vlltr.core.eval;

/**
 * One confidence bin {@code (lower, upper]} of a reliability diagram.
 *
 * @param count          samples whose confidence falls in the bin
 * @param accuracy       their top-1 accuracy (NaN if empty)
 * @param meanConfidence their mean confidence (NaN if empty)
 */
public record ReliabilityBin(double lower, double upper, long count, double accuracy, double meanConfidence) {
}
