package dev.vlltr.runtime.cli;

/**
 * A named stage input ({@code --input NAME=URI}).
 *
 * @param name        e.g. {@code corpus}
 * @param required    whether the stage refuses to run without it
 * @param description what is expected (typically "manifest of the text-crawl stage")
 */
public record InputSpec(String name, boolean required, String description) {

    public static InputSpec required(String name, String description) {
        return new InputSpec(name, true, description);
    }

    public static InputSpec optional(String name, String description) {
        return new InputSpec(name, false, description);
    }
}
