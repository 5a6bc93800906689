package dev.vlltr.core.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentence counts of a corpus: per class and source, per class and filter rule (dropped sentences), and totals.
 * Written as the stage's {@code corpus-stats.json}.
 *
 * @param sources the enabled sources, in corpus order
 * @param classes one row per class
 */
public record CorpusStats(List<String> sources, List<ClassStats> classes) {

    /**
     * @param classId class index
     * @param name class name
     * @param sentences kept sentences per source (every enabled source listed, zeros included)
     * @param dropped dropped sentences per filter rule (non-zero only)
     */
    public record ClassStats(int classId, String name, Map<String, Integer> sentences, Map<FilterRule, Integer> dropped) {

        public ClassStats {
            // keep the source order for logs; rules in enum order
            sentences = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sentences));
            java.util.EnumMap<FilterRule, Integer> rules = new java.util.EnumMap<>(FilterRule.class);
            rules.putAll(dropped);
            dropped = java.util.Collections.unmodifiableMap(rules);
        }

        /** @return kept sentences of the class */
        public int total() {
            return sentences.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public CorpusStats {
        sources = List.copyOf(sources);
        classes = List.copyOf(classes);
    }

    /** @return kept sentences per source over all classes */
    public Map<String, Integer> totalsBySource() {
        Map<String, Integer> t = new LinkedHashMap<>();
        for (String s : sources) {
            t.put(s, classes.stream().mapToInt(c -> c.sentences().getOrDefault(s, 0)).sum());
        }
        return t;
    }

    /** @return kept sentences over all classes */
    public int totalSentences() {
        return classes.stream().mapToInt(ClassStats::total).sum();
    }

    /** @return the smallest class's sentence count */
    public int minSentencesPerClass() {
        return classes.stream().mapToInt(ClassStats::total).min().orElse(0);
    }

    /**
     * Writes the stats as pretty JSON: {@code {sources, totals:{source:n}, totalSentences,
     * classes:[{classId, name, total, sentences:{source:n}, dropped:{RULE:n}}]}}.
     *
     * @param out the stream (flushed, not closed)
     * @throws IOException on write errors
     */
    public void writeJson(OutputStream out) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        ObjectNode root = mapper.createObjectNode();
        ArrayNode src = root.putArray("sources");
        sources.forEach(src::add);
        ObjectNode totals = root.putObject("totals");
        totalsBySource().forEach(totals::put);
        root.put("totalSentences", totalSentences());
        ArrayNode rows = root.putArray("classes");
        for (ClassStats c : classes) {
            ObjectNode row = rows.addObject();
            row.put("classId", c.classId());
            row.put("name", c.name());
            row.put("total", c.total());
            ObjectNode counts = row.putObject("sentences");
            for (String s : sources) {
                counts.put(s, c.sentences().getOrDefault(s, 0));
            }
            ObjectNode dropped = row.putObject("dropped");
            for (FilterRule r : FilterRule.values()) {
                Integer n = c.dropped().get(r);
                if (n != null && n > 0) {
                    dropped.put(r.name(), n);
                }
            }
        }
        mapper.writeValue(out, root);
        out.flush();
    }
}
