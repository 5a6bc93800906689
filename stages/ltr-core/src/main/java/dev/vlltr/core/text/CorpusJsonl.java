package dev.vlltr.core.text;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads and writes the text corpus as JSON Lines (UTF-8): one {@link ClassCorpusEntry} per line,
 * {@code {"classId":0,"name":"T-shirt/top","sources":["templates"],"sentences":[{"text":"...","source":"templates"}]}}.
 *
 * <p>Reading validates every field and fails with the source name, line number and field that is wrong.
 */
public final class CorpusJsonl {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CorpusJsonl() {}

    /**
     * Writes entries, one JSON object per line. The stream is flushed, not closed.
     *
     * @param entries the class entries
     * @param out where to write
     * @throws IOException on write errors
     */
    public static void write(Iterable<ClassCorpusEntry> entries, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        for (ClassCorpusEntry e : entries) {
            writer.write(toLine(e));
            writer.write('\n');
        }
        writer.flush();
    }

    /**
     * @param entry a class entry
     * @return its JSON line, without the newline
     */
    public static String toLine(ClassCorpusEntry entry) {
        try {
            var sw = new java.io.StringWriter();
            try (JsonGenerator g = MAPPER.getFactory().createGenerator(sw)) {
                g.writeStartObject();
                g.writeNumberField("classId", entry.classId());
                g.writeStringField("name", entry.name());
                g.writeArrayFieldStart("sources");
                for (String s : entry.sources()) {
                    g.writeString(s);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("sentences");
                for (CorpusSentence s : entry.sentences()) {
                    g.writeStartObject();
                    g.writeStringField("text", s.text());
                    g.writeStringField("source", s.source());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            return sw.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads every entry and checks that class ids are unique.
     *
     * @param in the JSON Lines stream (closed by this method)
     * @param sourceName a name for error messages (file name or URI)
     * @return the entries in file order
     * @throws IllegalArgumentException naming the line and field when the content is not a valid corpus
     * @throws IOException on read errors
     */
    public static List<ClassCorpusEntry> readAll(InputStream in, String sourceName) throws IOException {
        List<ClassCorpusEntry> entries = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        try (Stream<ClassCorpusEntry> stream = stream(in, sourceName)) {
            Iterator<ClassCorpusEntry> it = stream.iterator();
            while (it.hasNext()) {
                ClassCorpusEntry e = it.next();
                if (!ids.add(e.classId())) {
                    throw new IllegalArgumentException(sourceName + ": classId " + e.classId()
                            + " appears more than once (class '" + e.name() + "')");
                }
                entries.add(e);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return entries;
    }

    /**
     * Streams entries lazily, one line at a time; blank lines are skipped. Close the stream to close {@code in}.
     *
     * @param in the JSON Lines stream
     * @param sourceName a name for error messages
     * @return the entries; I/O errors surface as {@link UncheckedIOException}
     */
    public static Stream<ClassCorpusEntry> stream(InputStream in, String sourceName) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Iterator<ClassCorpusEntry> it = new Iterator<>() {
            private int lineNumber;
            private ClassCorpusEntry next;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                try {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lineNumber++;
                        if (!line.isBlank()) {
                            next = parseLine(line, sourceName + " line " + lineNumber);
                            return true;
                        }
                    }
                    return false;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public ClassCorpusEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ClassCorpusEntry e = next;
                next = null;
                return e;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(() -> {
                    try {
                        reader.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * Parses one JSON line.
     *
     * @param line the JSON text
     * @param where source name and line for error messages
     * @return the entry
     */
    static ClassCorpusEntry parseLine(String line, String where) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object {classId, name, sources, sentences}");
        }
        JsonNode id = node.get("classId");
        if (id == null || !id.canConvertToInt() || !id.isIntegralNumber() || id.intValue() < 0) {
            throw new IllegalArgumentException(where + ": field 'classId' must be an integer >= 0, got " + id);
        }
        String name = requireText(node, "name", where);
        JsonNode sources = node.get("sources");
        if (sources == null || !sources.isArray()) {
            throw new IllegalArgumentException(where + ": field 'sources' must be an array of strings");
        }
        List<String> sourceList = new ArrayList<>();
        for (JsonNode s : sources) {
            if (!s.isTextual()) {
                throw new IllegalArgumentException(where + ": field 'sources' must contain strings, got " + s);
            }
            sourceList.add(s.textValue());
        }
        JsonNode sentences = node.get("sentences");
        if (sentences == null || !sentences.isArray()) {
            throw new IllegalArgumentException(where + ": field 'sentences' must be an array of {text, source}");
        }
        List<CorpusSentence> list = new ArrayList<>(sentences.size());
        int i = 0;
        for (JsonNode s : sentences) {
            String at = where + " sentences[" + i++ + "]";
            if (!s.isObject()) {
                throw new IllegalArgumentException(at + ": expected an object {text, source}");
            }
            String text = requireText(s, "text", at);
            String source = requireText(s, "source", at);
            list.add(new CorpusSentence(text, source));
        }
        return new ClassCorpusEntry(id.intValue(), name, sourceList, list);
    }

    private static String requireText(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new IllegalArgumentException(where + ": field '" + field + "' must be a non-blank string, got " + v);
        }
        return v.textValue();
    }
}
