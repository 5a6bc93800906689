package dev.vlltr.core.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The text of one class: one line of the corpus JSON Lines file,
 * {@code {classId, name, sources:[...], sentences:[{text, source}]}}.
 *
 * @param classId the class index (label), {@code >= 0}
 * @param name the class name as used in the templates
 * @param sources the sources that contributed sentences, in order of first appearance
 * @param sentences the sentences, templates first
 */
public record ClassCorpusEntry(int classId, String name, List<String> sources, List<CorpusSentence> sentences) {

    public ClassCorpusEntry {
        Objects.requireNonNull(name, "name");
        if (classId < 0) {
            throw new IllegalArgumentException("classId must be >= 0, got " + classId + " for class '" + name + "'");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("class name must not be blank (classId " + classId + ")");
        }
        sources = List.copyOf(sources);
        sentences = List.copyOf(sentences);
    }

    /**
     * Builds an entry whose {@code sources} list is derived from the sentences.
     *
     * @param classId the class index
     * @param name the class name
     * @param sentences the sentences
     * @return the entry
     */
    public static ClassCorpusEntry of(int classId, String name, List<CorpusSentence> sentences) {
        Set<String> sources = new LinkedHashSet<>();
        for (CorpusSentence s : sentences) {
            sources.add(s.source());
        }
        return new ClassCorpusEntry(classId, name, new ArrayList<>(sources), sentences);
    }

    /**
     * @param source a source name
     * @return how many sentences came from that source
     */
    public long count(String source) {
        return sentences.stream().filter(s -> s.source().equals(source)).count();
    }

    /** @return the sentence texts, in order */
    public List<String> texts() {
        return sentences.stream().map(CorpusSentence::text).toList();
    }
}
