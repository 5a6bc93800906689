package dev.vlltr.core.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;

/** An optimizer whose state can be exported and imported, so that a resumed run continues bit for bit. */
public interface ResumableOptimizer {

    /** The state, keyed by the stable parameter names of {@code block} (parameter ids are random per process). */
    OptimizerState exportState(Block block) throws IOException;

    /** Restores a state exported from a block of the same architecture; arrays are created in {@code manager}. */
    void importState(Block block, OptimizerState state, NDManager manager) throws IOException;
}
