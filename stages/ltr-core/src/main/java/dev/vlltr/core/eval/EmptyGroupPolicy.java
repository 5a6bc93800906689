package dev.vlltr.core.eval;

/** What a shot group without any evaluated class reports. */
public enum EmptyGroupPolicy {
    /**
     * NaN: the group is absent (default; omitted from flattened metrics), so a benchmark without few-shot classes
     * does not report a misleading 0.
     */
    NAN,
    /** 0, as both official scripts do ({@code many_shot.append(0)} / {@code ... else 0.}). */
    ZERO
}
