package dev.vlltr.core.text;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns a wiki article into class text as VL-LTR's {@code SentPreProcessor} does: {@code _parse_wiki} splits the
 * stripped, non-empty lines into sections at lines starting with {@code ==} (the block before the first header is
 * {@code summary}), and {@code _get_text} keeps the summary plus every section whose title is not in the drop list
 * ({@code External links}, {@code References}, {@code Further reading}, {@code Bibliography}).
 *
 * <p>Defaults are the faithful behaviour, including two quirks of the Python dict: titles are matched exactly
 * (case-sensitive, so {@code == See also ==} and sub-sections of References are kept), and a repeated title keeps its
 * first position but the last body ({@link DuplicateSections#LAST_WINS}). Options:
 * <ul>
 *   <li>{@code optDropSections} — the titles to drop (empty list = keep everything, the "keep noise" setting);</li>
 *   <li>{@code optCaseInsensitiveDrop} — match titles ignoring case (default {@code false});</li>
 *   <li>{@code optDuplicateSections} — {@code LAST_WINS} (default) or {@code KEEP_ALL};</li>
 *   <li>{@code optStripMarkup} — run {@link WikiMarkupStripper} first (default {@code true}; VL-LTR's released text
 *       was already plain, so stripping only matters for raw wikitext).</li>
 * </ul>
 */
public final class WikiTextCleaner {

    /** The section titles VL-LTR drops ({@code SentPreProcessor.drop_keys}). */
    public static final List<String> VLLTR_DROP_SECTIONS =
            List.of("External links", "References", "Further reading", "Bibliography");

    /** Title of the lead section. */
    public static final String SUMMARY = "summary";

    /** What to do when two sections share a title. */
    public enum DuplicateSections {
        /** As a Python dict: first position, last body (VL-LTR). */
        LAST_WINS,
        /** Keep every section. */
        KEEP_ALL
    }

    private final List<String> dropSections;
    private final boolean caseInsensitiveDrop;
    private final DuplicateSections duplicateSections;
    private final boolean stripMarkup;

    private WikiTextCleaner(Builder b) {
        this.dropSections = List.copyOf(b.dropSections);
        this.caseInsensitiveDrop = b.caseInsensitiveDrop;
        this.duplicateSections = b.duplicateSections;
        this.stripMarkup = b.stripMarkup;
    }

    /** @return a builder with the VL-LTR defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Splits an article into sections exactly like {@code _parse_wiki}.
     *
     * @param text article text (plain or wikitext when markup stripping is on)
     * @return the sections, {@code summary} first
     */
    public List<WikiSection> parseSections(String text) {
        Objects.requireNonNull(text, "text");
        String plain = stripMarkup ? WikiMarkupStripper.strip(text) : text;
        List<WikiSection> sections = new ArrayList<>();
        Map<String, Integer> positions = new LinkedHashMap<>();
        String key = SUMMARY;
        StringBuilder val = new StringBuilder();
        for (String raw : plain.split("\\R", -1)) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("==")) {
                put(sections, positions, key, val.toString().strip());
                key = stripChars(line, "= ");
                val.setLength(0);
            } else {
                val.append(line).append('\n');
            }
        }
        put(sections, positions, key, val.toString().strip());
        return sections;
    }

    private void put(List<WikiSection> sections, Map<String, Integer> positions, String key, String val) {
        Integer at = positions.get(key);
        if (at != null && duplicateSections == DuplicateSections.LAST_WINS) {
            sections.set(at, new WikiSection(key, val));
        } else {
            positions.putIfAbsent(key, sections.size());
            sections.add(new WikiSection(key, val));
        }
    }

    /**
     * The class text of an article, like {@code _get_text}: summary, newline, then the kept sections joined by
     * newlines.
     *
     * @param text article text
     * @return the kept text (may be blank)
     */
    public String clean(String text) {
        List<WikiSection> sections = parseSections(text);
        String summary = sections.stream().filter(s -> s.title().equals(SUMMARY)).map(WikiSection::text)
                .findFirst().orElse("");
        String rest = sections.stream()
                .filter(s -> !s.title().equals(SUMMARY) && !isDropped(s.title()))
                .map(WikiSection::text)
                .collect(Collectors.joining("\n"));
        return summary + "\n" + rest;
    }

    /**
     * @param title a section title
     * @return whether the drop list removes it
     */
    public boolean isDropped(String title) {
        if (caseInsensitiveDrop) {
            String t = title.toLowerCase(Locale.ROOT);
            return dropSections.stream().anyMatch(d -> d.toLowerCase(Locale.ROOT).equals(t));
        }
        return dropSections.contains(title);
    }

    /** Python's {@code str.strip(chars)}. */
    static String stripChars(String s, String chars) {
        int start = 0;
        int end = s.length();
        while (start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Builder; every option defaults to VL-LTR's behaviour. */
    public static final class Builder {
        private List<String> dropSections = VLLTR_DROP_SECTIONS;
        private boolean caseInsensitiveDrop;
        private DuplicateSections duplicateSections = DuplicateSections.LAST_WINS;
        private boolean stripMarkup = true;

        private Builder() {}

        /**
         * @param titles section titles to drop; empty keeps every section (noise kept on purpose)
         * @return this
         */
        public Builder optDropSections(Collection<String> titles) {
            this.dropSections = List.copyOf(new java.util.LinkedHashSet<>(titles));
            return this;
        }

        /**
         * @param caseInsensitive match drop titles ignoring case
         * @return this
         */
        public Builder optCaseInsensitiveDrop(boolean caseInsensitive) {
            this.caseInsensitiveDrop = caseInsensitive;
            return this;
        }

        /**
         * @param mode how repeated titles are handled
         * @return this
         */
        public Builder optDuplicateSections(DuplicateSections mode) {
            this.duplicateSections = Objects.requireNonNull(mode);
            return this;
        }

        /**
         * @param strip strip MediaWiki markup before splitting sections
         * @return this
         */
        public Builder optStripMarkup(boolean strip) {
            this.stripMarkup = strip;
            return this;
        }

        /** @return the cleaner */
        public WikiTextCleaner build() {
            return new WikiTextCleaner(this);
        }
    }
}
