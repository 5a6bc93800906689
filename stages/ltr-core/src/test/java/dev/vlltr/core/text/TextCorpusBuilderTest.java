package dev.vlltr.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TextCorpusBuilderTest {

    private final Map<String, Long> ids = Fixtures.wordNetOffsets();

    private List<ClassTextMapping> fixtureClasses() {
        return List.of(
                new ClassTextMapping(0, "Tee", null, List.of(ids.get("tee")), List.of(GcideSelection.parse("widget:n/1"))),
                new ClassTextMapping(1, "Gear", "Gear (device)", List.of(), List.of(GcideSelection.parse("sprocket"))));
    }

    @Test
    void templatesFirstThenWikiWordNetGcideWithStats() throws IOException {
        try (WordNetDatabase db = WordNetDatabase.open(Fixtures.wordNetOpener())) {
            GcideDictionary dict = GcideDictionary.load(Fixtures.gcideOpener(), Set.of("widget", "sprocket"));
            TextCorpusBuilder.Result r = TextCorpusBuilder.builder()
                    .setClasses(fixtureClasses())
                    .optTemplates(PromptTemplates.vlltr())
                    .optWikiTexts(Map.of(0, "A tee is a shirt. It has short sleeves.\n== References ==\nSmith."))
                    .optWordNet(WordNetSource.builder().setDatabase(db).build())
                    .optGcide(GcideSource.builder().setDictionary(dict).build())
                    .build().build();
            ClassCorpusEntry tee = r.entries().get(0);
            assertEquals(List.of("templates", "wikipedia", "wordnet", "gcide"), tee.sources());
            assertEquals("a bad photo of a Tee .", tee.sentences().get(0).text());
            List<String> rest = tee.texts().subList(80, tee.sentences().size());
            assertEquals(List.of("A tee is a shirt.", "It has short sleeves.",
                    "Tee: a close-fitting pullover shirt.", "Tee is also called jersey, T-shirt or tee shirt.",
                    "Tee is a kind of shirt: a garment worn on the upper half of the body.",
                    "Tee: A small mechanical device of no particular kind."), rest);
            ClassCorpusEntry gear = r.entries().get(1);
            assertEquals(List.of("templates", "gcide"), gear.sources());
            assertEquals(81, gear.sentences().size());

            CorpusStats stats = r.stats();
            assertEquals(List.of("templates", "wikipedia", "wordnet", "gcide"), stats.sources());
            assertEquals(Map.of("templates", 80, "wikipedia", 2, "wordnet", 3, "gcide", 1), stats.classes().get(0).sentences());
            assertEquals(Map.of("templates", 80, "wikipedia", 0, "wordnet", 0, "gcide", 1), stats.classes().get(1).sentences());
            assertEquals(Map.of("templates", 160, "wikipedia", 2, "wordnet", 3, "gcide", 2), stats.totalsBySource());
            assertEquals(167, stats.totalSentences());
            assertEquals(81, stats.minSentencesPerClass());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stats.writeJson(out);
            JsonNode json = new ObjectMapper().readTree(out.toByteArray());
            assertEquals(167, json.get("totalSentences").intValue());
            assertEquals(3, json.get("classes").get(0).get("sentences").get("wordnet").intValue());
            assertEquals("Gear", json.get("classes").get(1).get("name").textValue());

            // the corpus survives a JSONL round trip unchanged
            ByteArrayOutputStream jsonl = new ByteArrayOutputStream();
            CorpusJsonl.write(r.entries(), jsonl);
            assertEquals(r.entries(), CorpusJsonl.readAll(new ByteArrayInputStream(jsonl.toByteArray()), "mem"));
        }
    }

    @Test
    void filterCountsDropsPerClass() throws IOException {
        TextCorpusBuilder.Result r = TextCorpusBuilder.builder()
                .setClasses(List.of(ClassTextMapping.nameOnly(0, "Tee")))
                .optTemplates(PromptTemplates.vlltr())
                .optWikiTexts(Map.of(0, "A tee shirt.\nA tee shirt.\nA tee."))
                .optFilter(SentenceFilter.builder().optDedup(SentenceFilter.Dedup.EXACT).optMinWords(3).build())
                .build().build();
        assertEquals(81, r.entries().get(0).sentences().size());
        assertEquals(Map.of(FilterRule.MIN_WORDS, 1, FilterRule.DEDUP_EXACT, 1), r.stats().classes().get(0).dropped());
    }

    @Test
    void emptyCorpusIsAClearError() {
        IllegalArgumentException noSource = assertThrows(IllegalArgumentException.class,
                () -> TextCorpusBuilder.builder().setClasses(fixtureClasses()).build().build());
        assertTrue(noSource.getMessage().startsWith("empty corpus: no text source enabled"), noSource.getMessage());
        IllegalArgumentException noClass = assertThrows(IllegalArgumentException.class,
                () -> TextCorpusBuilder.builder().setClasses(List.of()).optTemplates(PromptTemplates.vlltr()).build().build());
        assertEquals("empty corpus: no classes given", noClass.getMessage());
        // wiki only, and class 1 has no article
        IllegalArgumentException emptyClass = assertThrows(IllegalArgumentException.class,
                () -> TextCorpusBuilder.builder().setClasses(fixtureClasses()).optWikiTexts(Map.of(0, "Text."))
                        .build().build());
        assertTrue(emptyClass.getMessage().contains("class 1 'Gear' has no sentence"), emptyClass.getMessage());
        TextCorpusBuilder.Result allowed;
        try {
            allowed = TextCorpusBuilder.builder().setClasses(fixtureClasses()).optWikiTexts(Map.of(0, "Text."))
                    .optRequireNonEmpty(false).build().build();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(0, allowed.stats().minSentencesPerClass());
    }

    @Test
    void mappingFileIsReadAndValidated() throws IOException {
        String json = "[{\"classId\":0,\"name\":\"Tee\",\"wikiTitle\":\"T-shirt\",\"wordnet\":[\"03595614\", 4453666],"
                + "\"gcide\":[\"jersey:n/2\"]},{\"classId\":1,\"name\":\"Bag\"}]";
        List<ClassTextMapping> m = ClassTextMapping.readJson(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "map.json");
        assertEquals(List.of(3595614L, 4453666L), m.get(0).wordnetSynsets());
        assertEquals("T-shirt", m.get(0).wikiTitle());
        assertEquals("Bag", m.get(1).wikiTitle());
        assertEquals(List.of(), m.get(1).gcide());
        for (String[] bad : new String[][] {
                {"{}", "map.json: expected a JSON array"},
                {"[{\"name\":\"x\"}]", "map.json[0]: field 'classId'"},
                {"[{\"classId\":0,\"name\":\"a\"},{\"classId\":0,\"name\":\"b\"}]", "map.json[1]: classId 0 appears more than once"},
                {"[{\"classId\":0,\"name\":\"a\",\"wordnet\":[\"n0312\"]}]", "'wordnet' entries must be synset offsets"},
                {"[{\"classId\":0,\"name\":\"a\",\"gcide\":[\"x/?\"]}]", "map.json[0]: GCIDE selection 'x/?'"},
                {"[{\"classId\":0,", "map.json: not valid JSON"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClassTextMapping.readJson(
                    new ByteArrayInputStream(bad[0].getBytes(StandardCharsets.UTF_8)), "map.json"));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    /** The "done when" of the issue, offline: WordNet + GCIDE + templates for every Fashion-MNIST class. */
    @Test
    void fashionMnistOfflineCorpusFromInstalledPackages() throws IOException {
        TextResourceOpener wn = InstalledTextData.wordNet();
        TextResourceOpener gc = InstalledTextData.gcide();
        List<ClassTextMapping> classes = FashionMnistTextMapping.CLASSES;
        Set<String> headwords = classes.stream().flatMap(c -> c.gcide().stream()).map(GcideSelection::headword)
                .collect(Collectors.toSet());
        try (WordNetDatabase db = WordNetDatabase.open(wn)) {
            TextCorpusBuilder.Result r = TextCorpusBuilder.builder().setClasses(classes)
                    .optTemplates(PromptTemplates.vlltr())
                    .optWordNet(WordNetSource.builder().setDatabase(db).build())
                    .optGcide(GcideSource.builder().setDictionary(GcideDictionary.load(gc, headwords)).build())
                    .optFilter(SentenceFilter.builder().optDedup(SentenceFilter.Dedup.NORMALIZED).build())
                    .build().build();
            assertEquals(10, r.entries().size());
            for (ClassCorpusEntry e : r.entries()) {
                assertEquals(List.of("templates", "wordnet", "gcide"), e.sources(), e.name());
                assertEquals(80, e.count("templates"));
                assertTrue(e.count("wordnet") >= 2, e.name() + " wordnet " + e.count("wordnet"));
                assertTrue(e.count("gcide") >= 1, e.name());
                assertTrue(e.texts().stream().noneMatch(t -> t.contains("[") || t.contains("{") || t.contains("_")),
                        e.name() + ": markup left in " + e.texts());
            }
            ClassCorpusEntry sandal = r.entries().get(5);
            assertTrue(sandal.texts().contains("Sandal: a shoe consisting of a sole fastened by straps to the foot."),
                    sandal.texts().toString());
            assertTrue(sandal.texts().contains("Sandal is a kind of shoe: footwear shaped to fit the foot (below the"
                    + " ankle) with a flexible upper of leather or plastic and a sole and heel of heavier material."),
                    sandal.texts().toString());
        }
    }
}
