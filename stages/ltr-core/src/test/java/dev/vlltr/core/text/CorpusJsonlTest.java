package dev.vlltr.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CorpusJsonlTest {

    private static List<ClassCorpusEntry> read(String text) throws IOException {
        return CorpusJsonl.readAll(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "corpus.jsonl");
    }

    @Test
    void roundTripsOneObjectPerLine() throws IOException {
        List<ClassCorpusEntry> entries = List.of(
                ClassCorpusEntry.of(0, "T-shirt/top", List.of(new CorpusSentence("a photo of a T-shirt/top .", "templates"),
                        new CorpusSentence("Ein \"Hemd\" — naïve ✓ line\nbreak", "wikipedia"))),
                ClassCorpusEntry.of(1, "Trouser", List.of(new CorpusSentence("Trouser: a garment.", "wordnet"))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CorpusJsonl.write(entries, out);
        String text = out.toString(StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        assertEquals(2, lines.length);
        assertEquals("{\"classId\":1,\"name\":\"Trouser\",\"sources\":[\"wordnet\"],"
                + "\"sentences\":[{\"text\":\"Trouser: a garment.\",\"source\":\"wordnet\"}]}", lines[1]);
        List<ClassCorpusEntry> back = read(text);
        assertEquals(entries, back);
        assertEquals(List.of("templates", "wikipedia"), back.get(0).sources());
        assertEquals(1, back.get(0).count("wikipedia"));
    }

    @Test
    void roundTripsRandomUnicodeText() throws IOException {
        java.util.Random rnd = new java.util.Random(42);
        int[] pool = {'a', 'Z', ' ', '"', '\\', '\n', '\t', '/', 0x00e9, 0x4e2d, 0x0416, 0x2028, 0x1f45f, 0x0001};
        List<ClassCorpusEntry> entries = new java.util.ArrayList<>();
        for (int c = 0; c < 20; c++) {
            List<CorpusSentence> sentences = new java.util.ArrayList<>();
            for (int s = 0; s < 5; s++) {
                StringBuilder sb = new StringBuilder("x");
                for (int i = 0; i < 30; i++) {
                    sb.appendCodePoint(pool[rnd.nextInt(pool.length)]);
                }
                sentences.add(new CorpusSentence(sb.toString(), TextSources.ALL.get(rnd.nextInt(4))));
            }
            entries.add(ClassCorpusEntry.of(c, "class " + (char) ('A' + c) + " \u00e9", sentences));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CorpusJsonl.write(entries, out);
        assertEquals(20, out.toString(StandardCharsets.UTF_8).split("\n").length, "one line per class");
        assertEquals(entries, CorpusJsonl.readAll(new ByteArrayInputStream(out.toByteArray()), "random"));
    }

    @Test
    void streamsLazilyAndSkipsBlankLines() {
        String text = "\n{\"classId\":4,\"name\":\"Coat\",\"sources\":[],\"sentences\":[]}\n\n";
        try (Stream<ClassCorpusEntry> s = CorpusJsonl.stream(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x")) {
            assertEquals(List.of(4), s.map(ClassCorpusEntry::classId).toList());
        }
    }

    @Test
    void badLinesNameLineAndField() {
        assertError("{\"classId\":0,\"name\":\"A\",\"sources\":[],\"sentences\":[]}\n{oops",
                "corpus.jsonl line 2: not valid JSON");
        assertError("[1,2]", "corpus.jsonl line 1: expected a JSON object");
        assertError("{\"name\":\"A\",\"sources\":[],\"sentences\":[]}", "field 'classId' must be an integer >= 0");
        assertError("{\"classId\":-1,\"name\":\"A\",\"sources\":[],\"sentences\":[]}", "field 'classId'");
        assertError("{\"classId\":1.5,\"name\":\"A\",\"sources\":[],\"sentences\":[]}", "field 'classId'");
        assertError("{\"classId\":0,\"name\":\"  \",\"sources\":[],\"sentences\":[]}", "field 'name' must be a non-blank string");
        assertError("{\"classId\":0,\"name\":\"A\",\"sources\":\"x\",\"sentences\":[]}", "field 'sources' must be an array");
        assertError("{\"classId\":0,\"name\":\"A\",\"sources\":[],\"sentences\":[{\"text\":\"hi\"}]}",
                "corpus.jsonl line 1 sentences[0]: field 'source'");
        assertError("{\"classId\":0,\"name\":\"A\",\"sources\":[],\"sentences\":[]}\n"
                + "{\"classId\":0,\"name\":\"B\",\"sources\":[],\"sentences\":[]}", "classId 0 appears more than once");
    }

    private static void assertError(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
