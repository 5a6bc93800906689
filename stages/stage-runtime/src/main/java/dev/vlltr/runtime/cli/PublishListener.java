package dev.vlltr.runtime.cli;

/**
 * Told when publishing reaches each phase. Production runs use {@link #NONE}; the crash tests stop or kill the
 * process at every phase to prove that whatever dies when, the manifest that stood before stays valid.
 */
@FunctionalInterface
interface PublishListener {

    /** The moments between the store writes of a publish, in order. */
    enum Phase {
        /** The stage body returned; nothing uploaded yet. */
        BEFORE_OUTPUTS,
        /** After each output but the last. */
        BETWEEN_OUTPUTS,
        /** Every output uploaded and verified; the manifest not yet written. */
        BEFORE_MANIFEST,
        /** The manifest is written; clean-up and the XCom result follow. */
        AFTER_MANIFEST
    }

    PublishListener NONE = phase -> {};

    void reached(Phase phase) throws Exception;
}
