package dev.vlltr.core.text;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Assembles the class-text corpus. Per class, in this order: the 80 prompt templates (prepended, as VL-LTR's
 * {@code get_clip_text}), the cleaned Wikipedia article, WordNet sentences, GCIDE senses. Everything but the
 * templates is split into sentences ({@link SentenceSplitter}); then the {@link SentenceFilter} runs over the class.
 *
 * <p>VL-LTR concatenates the last template and the first wiki line without a separator, so its regex splitter may
 * glue them into one "sentence"; here templates always stay separate sentences.
 */
public final class TextCorpusBuilder {

    /**
     * The built corpus and its stats.
     *
     * @param entries one entry per class, in class order
     * @param stats sentence counts
     */
    public record Result(List<ClassCorpusEntry> entries, CorpusStats stats) {}

    private final List<ClassTextMapping> classes;
    private final PromptTemplates templates;
    private final Map<Integer, String> wikiTexts;
    private final WikiTextCleaner wikiCleaner;
    private final WordNetSource wordNet;
    private final GcideSource gcide;
    private final SentenceSplitter splitter;
    private final SentenceFilter filter;
    private final boolean requireNonEmpty;

    private TextCorpusBuilder(Builder b) {
        this.classes = List.copyOf(Objects.requireNonNull(b.classes, "setClasses is required"));
        this.templates = b.templates;
        this.wikiTexts = b.wikiTexts == null ? null : Map.copyOf(b.wikiTexts);
        this.wikiCleaner = b.wikiCleaner;
        this.wordNet = b.wordNet;
        this.gcide = b.gcide;
        this.splitter = b.splitter;
        this.filter = b.filter;
        this.requireNonEmpty = b.requireNonEmpty;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the enabled sources in corpus order */
    public List<String> enabledSources() {
        List<String> s = new ArrayList<>();
        if (templates != null) {
            s.add(TextSources.TEMPLATES);
        }
        if (wikiTexts != null) {
            s.add(TextSources.WIKIPEDIA);
        }
        if (wordNet != null) {
            s.add(TextSources.WORDNET);
        }
        if (gcide != null) {
            s.add(TextSources.GCIDE);
        }
        return s;
    }

    /**
     * @return the corpus and stats
     * @throws IllegalArgumentException "empty corpus" when no class or no source is given, or (with
     *     {@code requireNonEmpty}) when a class ends with no sentence; source errors name the class
     * @throws IOException on read errors of the sources
     */
    public Result build() throws IOException {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("empty corpus: no classes given");
        }
        List<String> sources = enabledSources();
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("empty corpus: no text source enabled (expected at least one of "
                    + TextSources.ALL + ")");
        }
        List<ClassCorpusEntry> entries = new ArrayList<>();
        List<CorpusStats.ClassStats> rows = new ArrayList<>();
        for (ClassTextMapping c : classes) {
            List<CorpusSentence> sentences = new ArrayList<>();
            if (templates != null) {
                templates.sentencesFor(c.name()).forEach(t -> sentences.add(new CorpusSentence(t, TextSources.TEMPLATES)));
            }
            if (wikiTexts != null) {
                String raw = wikiTexts.get(c.classId());
                if (raw != null) {
                    addSplit(sentences, List.of(wikiCleaner.clean(raw)), TextSources.WIKIPEDIA);
                }
            }
            if (wordNet != null && !c.wordnetSynsets().isEmpty()) {
                addSplit(sentences, wordNet.sentencesFor(c.name(), c.wordnetSynsets()), TextSources.WORDNET);
            }
            if (gcide != null && !c.gcide().isEmpty()) {
                addSplit(sentences, gcide.sentencesFor(c.name(), c.gcide()), TextSources.GCIDE);
            }
            FilterReport report = new FilterReport();
            List<CorpusSentence> kept = filter.apply(sentences, report);
            if (kept.isEmpty() && requireNonEmpty) {
                throw new IllegalArgumentException("empty corpus: class " + c.classId() + " '" + c.name()
                        + "' has no sentence from sources " + sources + " after filtering (" + report.total()
                        + " dropped: " + report.asMap() + ")");
            }
            entries.add(new ClassCorpusEntry(c.classId(), c.name(), distinctSources(kept), kept));
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String s : sources) {
                counts.put(s, (int) kept.stream().filter(k -> k.source().equals(s)).count());
            }
            rows.add(new CorpusStats.ClassStats(c.classId(), c.name(), counts, report.asMap()));
        }
        return new Result(entries, new CorpusStats(sources, rows));
    }

    private void addSplit(List<CorpusSentence> out, List<String> texts, String source) {
        for (String t : texts) {
            for (String s : splitter.split(t)) {
                out.add(new CorpusSentence(s, source));
            }
        }
    }

    private static List<String> distinctSources(List<CorpusSentence> sentences) {
        return sentences.stream().map(CorpusSentence::source).distinct().toList();
    }

    /** Builder: {@code setClasses} is required; each source is enabled by giving it. */
    public static final class Builder {
        private List<ClassTextMapping> classes;
        private PromptTemplates templates;
        private Map<Integer, String> wikiTexts;
        private WikiTextCleaner wikiCleaner = WikiTextCleaner.builder().build();
        private WordNetSource wordNet;
        private GcideSource gcide;
        private SentenceSplitter splitter = SentenceSplitter.english();
        private SentenceFilter filter = SentenceFilter.keepAll();
        private boolean requireNonEmpty = true;

        private Builder() {}

        /** @param classes the classes, in class order @return this */
        public Builder setClasses(List<ClassTextMapping> classes) {
            this.classes = classes;
            return this;
        }

        /** @param templates prompt templates, {@code null} to disable @return this */
        public Builder optTemplates(PromptTemplates templates) {
            this.templates = templates;
            return this;
        }

        /**
         * @param articles raw article text per class id (classes without an article get none); {@code null} disables
         * @return this
         */
        public Builder optWikiTexts(Map<Integer, String> articles) {
            this.wikiTexts = articles;
            return this;
        }

        /** @param cleaner the wiki cleaner (default VL-LTR's) @return this */
        public Builder optWikiCleaner(WikiTextCleaner cleaner) {
            this.wikiCleaner = Objects.requireNonNull(cleaner);
            return this;
        }

        /** @param source WordNet source, {@code null} to disable @return this */
        public Builder optWordNet(WordNetSource source) {
            this.wordNet = source;
            return this;
        }

        /** @param source GCIDE source, {@code null} to disable @return this */
        public Builder optGcide(GcideSource source) {
            this.gcide = source;
            return this;
        }

        /** @param splitter sentence splitter (default English ICU) @return this */
        public Builder optSplitter(SentenceSplitter splitter) {
            this.splitter = Objects.requireNonNull(splitter);
            return this;
        }

        /** @param filter sentence filter (default keeps all, as VL-LTR) @return this */
        public Builder optFilter(SentenceFilter filter) {
            this.filter = Objects.requireNonNull(filter);
            return this;
        }

        /** @param require fail when a class has no sentence (default true) @return this */
        public Builder optRequireNonEmpty(boolean require) {
            this.requireNonEmpty = require;
            return this;
        }

        /** @return the builder of the corpus */
        public TextCorpusBuilder build() {
            return new TextCorpusBuilder(this);
        }
    }
}
