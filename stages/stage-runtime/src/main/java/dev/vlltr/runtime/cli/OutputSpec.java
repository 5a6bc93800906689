package dev.vlltr.runtime.cli;

import java.util.Objects;

/**
 * A named stage output, declared in the {@link StageDefinition} as inputs are: the runtime refuses to publish an
 * output the stage did not declare or to finish without a declared one, {@code --help} lists them, and the pipeline
 * conformance check matches what a downstream input {@linkplain InputSpec#reads() reads} against them — so a renamed
 * output fails a test, not a run.
 *
 * @param name        the manifest key, e.g. {@code encoders}
 * @param file        the file it is published as, e.g. {@code cvlp-encoders.params}
 * @param kind        its format, e.g. {@code DJL parameters}, {@code FeatureTable (vlltr-features/1)}, {@code JSON}
 * @param description one line for {@code --help}
 * @param optional    whether the stage may finish without it (e.g. a report only some settings produce)
 */
public record OutputSpec(String name, String file, String kind, String description, boolean optional) {

    public OutputSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(description, "description");
        if (name == null || !name.matches("[a-z][a-z0-9_-]*")) {
            throw new IllegalArgumentException("output names are lower-case identifiers, got '" + name + "'");
        }
        if (file == null || file.isEmpty() || file.contains("/") || file.startsWith(".")) {
            throw new IllegalArgumentException("output '" + name + "': bad file name '" + file + "'");
        }
    }

    /** An output the stage always writes. */
    public static OutputSpec of(String name, String file, String kind, String description) {
        return new OutputSpec(name, file, kind, description, false);
    }

    /** @return this output, written only by some runs */
    public OutputSpec optionally() {
        return new OutputSpec(name, file, kind, description, true);
    }
}
