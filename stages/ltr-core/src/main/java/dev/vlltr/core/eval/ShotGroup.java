package dev.vlltr.core.eval;

/**
 * One shot group's result.
 *
 * @param name       {@code many}, {@code medium}, {@code few}, and for VL-LTR {@code 10shot}, {@code 5shot}
 * @param rule       the membership rule on the training count, human-readable
 * @param numClasses classes of the group present in the evaluated split
 * @param numSamples evaluated samples of those classes
 * @param accuracy   aggregated accuracy, or per {@link EmptyGroupPolicy} when {@code numClasses == 0}
 */
public record ShotGroup(String name, String rule, int numClasses, long numSamples, double accuracy) {
}
