package dev.vlltr.runtime.train;

import java.io.IOException;
import java.util.Map;

/**
 * What a trainer exports for a checkpoint, as bytes: its parameters and its optimizer's arrays (both DJL-encoded
 * {@code NDList}s) and the optimizer's update count per parameter name.
 */
public record ModelState(byte[] parameters, byte[] optimizerMoments, Map<String, Integer> optimizerSteps) {

    /** A trainer whose state can be checkpointed and restored. */
    public interface Resumable {
        ModelState exportState() throws IOException;

        void importState(ModelState state) throws IOException;

        /** @return a resumable of two functions (typically an ltr-core trainer's export and import) */
        static Resumable of(Export export, Import restore) {
            return new Resumable() {
                @Override
                public ModelState exportState() throws IOException {
                    return export.get();
                }

                @Override
                public void importState(ModelState state) throws IOException {
                    restore.accept(state);
                }
            };
        }
    }

    /** Exports a state. */
    @FunctionalInterface
    public interface Export {
        ModelState get() throws IOException;
    }

    /** Imports a state. */
    @FunctionalInterface
    public interface Import {
        void accept(ModelState state) throws IOException;
    }
}
