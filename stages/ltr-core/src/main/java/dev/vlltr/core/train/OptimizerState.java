package dev.vlltr.core.train;

import java.util.Map;

/**
 * An optimizer's state in a form that survives the process: per-parameter arrays (moments, momentum buffers) encoded
 * as one DJL {@code NDList} named by the stable parameter names, and an update count per parameter name. This is
 * what a checkpoint stores next to the parameters (DJL cannot serialise its own optimizers).
 */
public interface OptimizerState {

    /** @return the encoded arrays, each named {@code <parameter name>.<kind>} */
    byte[] moments();

    /** @return update count per parameter name */
    Map<String, Integer> steps();

    /** @return a state of these parts (e.g. as read back from a checkpoint) */
    static OptimizerState of(byte[] moments, Map<String, Integer> steps) {
        return new Parts(moments, steps);
    }

    /** The plain parts, e.g. as read back from a checkpoint. */
    record Parts(byte[] moments, Map<String, Integer> steps) implements OptimizerState {}
}
