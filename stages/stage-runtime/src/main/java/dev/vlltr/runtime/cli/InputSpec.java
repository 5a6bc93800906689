package dev.vlltr.runtime.cli;

import java.util.List;

/**
 * A named stage input ({@code --input NAME=URI}).
 *
 * @param name        e.g. {@code corpus}
 * @param required    whether the stage refuses to run without it
 * @param description what is expected (typically "manifest of the text-crawl stage")
 * @param reads       the outputs of the upstream stage's manifest this stage fetches (empty: not declared); {@link
 *                    StageContext#fetchUpstreamOutput} fetches only these, and the pipeline conformance check
 *                    matches them against the upstream stage's declared {@link OutputSpec}s
 * @param digest      how the input's digest in the run fingerprint is computed; null: the bytes at the URI (a folder:
 *                    its listing of names and digests; a manifest: the manifest, its outputs verified). A dataset spec
 *                    digests itself with the files it names ({@link #digestedBy})
 */
public record InputSpec(String name, boolean required, String description, List<String> reads, InputDigest digest) {

    public InputSpec {
        reads = reads == null ? List.of() : List.copyOf(reads);
    }

    public InputSpec(String name, boolean required, String description, List<String> reads) {
        this(name, required, description, reads, null);
    }

    /** An input whose upstream outputs are not declared. */
    public InputSpec(String name, boolean required, String description) {
        this(name, required, description, List.of());
    }

    public static InputSpec required(String name, String description) {
        return new InputSpec(name, true, description);
    }

    public static InputSpec optional(String name, String description) {
        return new InputSpec(name, false, description);
    }

    /** @return this input, declaring the upstream outputs the stage reads from it */
    public InputSpec reading(String... outputs) {
        return new InputSpec(name, required, description, List.of(outputs), digest);
    }

    /** @return this input, its fingerprint digest computed by {@code digest} instead of over the URI's bytes */
    public InputSpec digestedBy(InputDigest digest) {
        return new InputSpec(name, required, description, reads, digest);
    }
}
