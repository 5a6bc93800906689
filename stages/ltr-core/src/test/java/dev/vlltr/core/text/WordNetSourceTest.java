package dev.vlltr.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WordNet parsing and sentence generation on a hand-written fixture in the WordNet file format. */
class WordNetSourceTest {

    private final Map<String, Long> ids = Fixtures.wordNetOffsets();

    @Test
    void parsesSynsetLineFields() throws IOException {
        try (WordNetDatabase db = WordNetDatabase.open(Fixtures.wordNetOpener())) {
            WordNetSynset tee = db.noun(ids.get("tee"));
            assertEquals(ids.get("tee"), tee.offset());
            assertEquals(6, tee.lexFileNumber());
            assertEquals('n', tee.synsetType());
            assertEquals(List.of("jersey", "T-shirt", "tee shirt"), tee.words());
            assertEquals(List.of(ids.get("shirt")), tee.hypernyms());
            assertEquals(2, tee.pointers().size());
            assertEquals("~", tee.pointers().get(1).symbol());
            assertEquals("a close-fitting pullover shirt", tee.definition());
            assertEquals(List.of(), tee.examples());

            WordNetSynset top1 = db.noun(ids.get("top1"));
            assertEquals("the upper part of anything", top1.definition());
            assertEquals(List.of("the top of the mountain", "climb to the top"), top1.examples());
            // a ';' inside the definition is kept, only the examples go
            assertEquals("a garment that extends from the shoulders to the waist; a short garment",
                    db.noun(ids.get("top4")).definition());
            // adjective markers (a)/(p) are removed from words; an empty gloss gives an empty definition
            WordNetSynset quiet = db.noun(ids.get("quiet"));
            assertEquals(List.of("good", "fine"), quiet.words());
            assertEquals("", quiet.definition());
        }
    }

    @Test
    void indexListsSensesInOrder() throws IOException {
        WordNetIndex index = WordNetIndex.open(Fixtures.wordNetOpener());
        assertEquals(3, index.size());
        assertEquals(List.of(ids.get("top1"), ids.get("top4")), index.lookup("Top"));
        assertEquals(List.of(ids.get("tee")), index.lookup("T-shirt"));
        assertEquals(List.of(), index.lookup("ankle boot"));
        // whole name, then '/' parts, then the head noun (last word); the first sense is taken
        assertEquals(java.util.Optional.of(ids.get("tee")), index.guessFirstSense("T-shirt/top"));
        assertEquals(java.util.Optional.of(ids.get("top1")), index.guessFirstSense("Crop top"));
        assertEquals(java.util.Optional.of(ids.get("garment")), index.guessFirstSense("Outer garment"));
        assertEquals(java.util.Optional.empty(), index.guessFirstSense("Zebra"));
    }

    @Test
    void badOffsetNamesTheClassAndOffset() throws IOException {
        try (WordNetDatabase db = WordNetDatabase.open(Fixtures.wordNetOpener())) {
            WordNetSource source = WordNetSource.builder().setDatabase(db).build();
            long misaligned = ids.get("shirt") + 3;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> source.sentencesFor("Shirt", List.of(misaligned)));
            assertTrue(e.getMessage().contains("class 'Shirt'"), e.getMessage());
            assertTrue(e.getMessage().contains("no synset starts there"), e.getMessage());
            IllegalArgumentException past = assertThrows(IllegalArgumentException.class, () -> db.noun(99_999_999L));
            assertTrue(past.getMessage().contains("outside the file"), past.getMessage());
        }
    }

    @Test
    void writesGlossExampleSynonymAndHypernymSentences() throws IOException {
        try (WordNetDatabase db = WordNetDatabase.open(Fixtures.wordNetOpener())) {
            List<String> s = WordNetSource.builder().setDatabase(db).build()
                    .sentencesFor("T-shirt/top", List.of(ids.get("tee"), ids.get("top4")));
            assertEquals(List.of(
                    "T-shirt/top: a close-fitting pullover shirt.",
                    "T-shirt/top: a garment that extends from the shoulders to the waist; a short garment.",
                    "He buttoned her top.",
                    // 'T-shirt' and 'top' are parts of the class name, so only the other words are synonyms
                    "T-shirt/top is also called jersey or tee shirt.",
                    "T-shirt/top is a kind of shirt: a garment worn on the upper half of the body.",
                    "T-shirt/top is a kind of garment: an article of clothing."), s);
        }
    }

    @Test
    void optionsSwitchPartsOffAndDeepenTheHypernymChain() throws IOException {
        try (WordNetDatabase db = WordNetDatabase.open(Fixtures.wordNetOpener())) {
            WordNetSource deep = WordNetSource.builder().setDatabase(db).optGlosses(false).optExamples(false)
                    .optSynonyms(false).optHypernymDepth(3).build();
            // tee -> shirt -> garment -> clothing (depth 3), each level once
            assertEquals(List.of(
                    "Tee is a kind of shirt: a garment worn on the upper half of the body.",
                    "Tee is a kind of garment: an article of clothing.",
                    "Tee is a kind of clothing: things worn to cover the body."),
                    deep.sentencesFor("Tee", List.of(ids.get("tee"))));
            WordNetSource none = WordNetSource.builder().setDatabase(db).optGlosses(false).optExamples(false)
                    .optSynonyms(false).optHypernymDepth(0).build();
            assertEquals(List.of(), none.sentencesFor("Tee", List.of(ids.get("tee"))));
            assertThrows(IllegalArgumentException.class, () -> WordNetSource.builder().optHypernymDepth(-1));
        }
    }

    @Test
    void unbalancedQuotesInAGlossKeepTheDefinitionClean() {
        // WordNet 3.0 has a few glosses like this one (a missing closing quote)
        WordNetSynset s = WordNetSynset.parse("00000000 06 n 01 shopping 0 000 | the commodities purchased from stores;"
                + " \"she loaded her shopping into the car\"women carrying home shopping didn't give me a glance\"",
                "data.noun");
        assertEquals("the commodities purchased from stores", s.definition());
        assertEquals(List.of("she loaded her shopping into the car"), s.examples());
    }

    @Test
    void malformedLineIsReported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WordNetSynset.parse("00001234 06 n zz broken | gloss", "data.noun offset 00001234"));
        assertTrue(e.getMessage().startsWith("data.noun offset 00001234: not a WordNet synset line"), e.getMessage());
    }
}
