package dev.vlltr.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** GCIDE index decoding, entry parsing and sense selection on a hand-written fixture in the dictd/GCIDE format. */
class GcideSourceTest {

    @Test
    void decodesDictdBase64Numbers() {
        assertEquals(3656, DictdIndex.decode("5I")); // 57*64 + 8, the feasibility report's example
        assertEquals(0, DictdIndex.decode("A"));
        assertEquals(63, DictdIndex.decode("/"));
        assertEquals(64 * 64 + 62, DictdIndex.decode("BA+"));
        assertEquals(36212001, DictdIndex.decode(Fixtures.encode(36212001)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DictdIndex.decode("A*"));
        assertTrue(e.getMessage().contains("'*'"), e.getMessage());
    }

    @Test
    void malformedIndexLineNamesTheLine() {
        byte[] index = "widget\tA\tB\nbroken line\n".getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DictdIndex.read(new ByteArrayInputStream(index), null, "gcide.index"));
        assertTrue(e.getMessage().startsWith("gcide.index line 2: expected 'headword<TAB>offset<TAB>length'"),
                e.getMessage());
    }

    @Test
    void parsesHeaderSensesAndDropsQuotationsPhrasesAndNotes() throws IOException {
        GcideDictionary dict = GcideDictionary.load(Fixtures.gcideOpener(), Set.of("Widget", "sprocket"));
        List<GcideEntry> widgets = dict.entries("WIDGET");
        // the 'Gizmo' entry is indexed under widget (a cross reference) and must not count
        assertEquals(3, widgets.size());
        GcideEntry first = widgets.get(0);
        assertEquals("Widget", first.headword());
        assertEquals("n.", first.pos());
        assertEquals(List.of(
                new GcideEntry.GcideSense("1", "A small mechanical device of no particular kind."),
                new GcideEntry.GcideSense("2", "A part of a machine; as, a widget of brass.")), first.senses());
        assertEquals("v. t.", widgets.get(1).pos());
        assertEquals(List.of(new GcideEntry.GcideSense("", "To fit with widgets.")), widgets.get(1).senses());
        GcideEntry third = widgets.get(2);
        assertEquals(List.of("2", "3", "4", "4a", "4b"),
                third.senses().stream().map(GcideEntry.GcideSense::label).toList());
        assertEquals("One who sneaks about; a spy.", third.senses().get(1).text());
        assertEquals("worn by the water-carriers;", third.senses().get(3).text());

        GcideEntry sprocket = dict.entries("sprocket").get(0);
        assertEquals(List.of(new GcideEntry.GcideSense("", "A tooth on the rim of a wheel, shaped to engage a chain.")),
                sprocket.senses());
    }

    @Test
    void selectsEntryAndSensesBySpec() throws IOException {
        GcideDictionary dict = GcideDictionary.load(Fixtures.gcideOpener(), Set.of("widget", "sprocket"));
        GcideSource source = GcideSource.builder().setDictionary(dict).build();
        assertEquals(List.of("Widget: A small mechanical device of no particular kind.",
                "Widget: A part of a machine; as, a widget of brass."),
                source.sentencesFor("Widget", List.of(GcideSelection.parse("widget:n"))));
        // '#2' counts only the noun entries (the verb entry sits between them); sense 4 includes 4a and 4b
        assertEquals(List.of("Robe: A garment with two sleeves,", "Robe: worn by the water-carriers;",
                "Robe: an outer shirt of thick wool, sewn in one piece."),
                source.sentencesFor("Robe", List.of(GcideSelection.parse("widget:n#2/4"))));
        assertEquals(List.of("an outer shirt of thick wool, sewn in one piece."),
                GcideSource.builder().setDictionary(dict).optNamePrefix(false).build()
                        .sentencesFor("Robe", List.of(GcideSelection.parse("widget : n # 2 / 4(b)"))));
        assertEquals(List.of("Sprocket: A tooth on the rim of a wheel, shaped to engage a chain."),
                source.sentencesFor("Sprocket", List.of(GcideSelection.parse("sprocket"))));
    }

    @Test
    void guessesFirstNounSenseForUnmappedClasses() throws IOException {
        assertEquals(List.of("Gear/Sprocket wheel", "Gear", "Sprocket wheel", "wheel"),
                GcideDictionary.candidateHeadwords("Gear/Sprocket wheel"));
        GcideDictionary dict = GcideDictionary.load(Fixtures.gcideOpener(), Set.of("widget", "sprocket", "big widget"));
        assertEquals("widget:n#1/1", dict.guessFirstNounSense("Big widget").orElseThrow().spec());
        // an entry without numbered senses: its whole definition
        GcideSelection s = dict.guessFirstNounSense("Sprocket").orElseThrow();
        assertEquals("Sprocket:n#1", s.spec());
        assertEquals(List.of("Sprocket: A tooth on the rim of a wheel, shaped to engage a chain."),
                GcideSource.builder().setDictionary(dict).build().sentencesFor("Sprocket", List.of(s)));
        assertTrue(dict.guessFirstNounSense("Zebra").isEmpty());
    }

    @Test
    void missingEntryOrSenseIsAClearError() throws IOException {
        GcideDictionary dict = GcideDictionary.load(Fixtures.gcideOpener(), Set.of("widget", "nothing"));
        GcideSource source = GcideSource.builder().setDictionary(dict).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> source.sentencesFor("Widget", List.of(GcideSelection.parse("widget:n#3"))));
        assertTrue(e.getMessage().contains("class 'Widget'") && e.getMessage().contains("has 2 entries"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> source.sentencesFor("Widget", List.of(GcideSelection.parse("widget:n/7"))));
        assertTrue(e.getMessage().contains("matches no sense") && e.getMessage().contains("[1, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> source.sentencesFor("Nothing", List.of(GcideSelection.parse("nothing"))));
        assertTrue(e.getMessage().contains("has 0 entries"), e.getMessage());
    }

    @Test
    void selectionSpecSyntax() {
        GcideSelection s = GcideSelection.parse("Boot:n#2/1,2(b)");
        assertEquals("Boot", s.headword());
        assertEquals("n", s.pos());
        assertEquals(2, s.entry());
        assertEquals(List.of("1", "2b"), s.senses());
        assertEquals("Boot:n#2/1,2b", s.spec());
        assertTrue(s.matchesPos("n. pl."));
        assertTrue(!s.matchesPos("v. t."));
        assertTrue(s.includesSense("1") && s.includesSense("1a") && s.includesSense("2b"));
        assertTrue(!s.includesSense("2") && !s.includesSense("2a") && !s.includesSense("11"));
        assertEquals(1, GcideSelection.parse("sandal").entry());
        assertThrows(IllegalArgumentException.class, () -> GcideSelection.parse("boot:n#0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GcideSelection.parse("boot/x1"));
        assertTrue(e.getMessage().contains("must look like 1, 2b, 2(b) or a"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GcideSelection.parse(":n"));
    }

    @Test
    void cleansWebsterMarkup() {
        assertEquals("A kind of shoe worn by monks; as, a sandal of cork.",
                GcideEntry.clean("A kind of {shoe} worn by m[=o]nks [Obs.]; as, a sandal of cork. --Bp. Hall."));
        assertEquals("To stand in line.", GcideEntry.clean("(Mil.) To stand in line. \"Dress, right!\" --Latham."));
        assertEquals("An aegis; -- used chiefly in poetry.",
                GcideEntry.clean("An [ae]gis [L. aegis, fr. Gr. [?][?]]; -- used chiefly in poetry."));
    }

    @Test
    void multiFormHeaderLeavesNoPronunciationOrGrammar() {
        // a header naming two forms spills the second form's pronunciation and part of speech onto the next line
        GcideEntry e = GcideEntry.parse("Gadgetal \\Gad\"get*al\\, Gadgetical\n"
                + "   \\Gad*get\"i*cal\\, a. Pertaining to gadgets (gad\"jet*al); full of\n   gadgets.\n   [1913 Webster]\n");
        assertEquals("Gadgetal", e.headword());
        assertEquals(List.of(new GcideEntry.GcideSense("", "Pertaining to gadgets; full of gadgets.")), e.senses());
    }

    @Test
    void missingFileIsReported() {
        TextResourceOpener empty = Fixtures.opener(Map.of());
        IOException e = assertThrows(IOException.class, () -> GcideDictionary.load(empty, Set.of("x")));
        assertTrue(e.getMessage().contains("gcide.index"), e.getMessage());
    }
}
