package dev.vlltr.core.text;

import java.util.Objects;

/**
 * One sentence of a class text and the source it came from ({@link TextSources}).
 *
 * @param text the sentence, trimmed, never blank
 * @param source the source name, e.g. {@code "templates"}, {@code "wordnet"}
 */
public record CorpusSentence(String text, String source) {

    public CorpusSentence {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(source, "source");
        if (text.isBlank()) {
            throw new IllegalArgumentException("sentence text must not be blank (source '" + source + "')");
        }
        if (source.isBlank()) {
            throw new IllegalArgumentException("sentence source must not be blank (text '" + text + "')");
        }
    }
}
