package dev.vlltr.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SentenceFilterTest {

    private static CorpusSentence wiki(String t) {
        return new CorpusSentence(t, TextSources.WIKIPEDIA);
    }

    private static List<String> texts(List<CorpusSentence> s) {
        return s.stream().map(CorpusSentence::text).toList();
    }

    @Test
    void defaultKeepsEverythingLikeVlltr() {
        List<CorpusSentence> in = List.of(wiki("Same."), wiki("Same."), wiki("x"), wiki("Это рубашка."));
        FilterReport r = new FilterReport();
        assertEquals(in, SentenceFilter.keepAll().apply(in, r));
        assertEquals(0, r.total());
    }

    @Test
    void exactAndNormalizedDedup() {
        List<CorpusSentence> in = List.of(wiki("A coat is warm."), wiki("A coat is warm."), wiki("a COAT,  is warm!"),
                wiki("Ａ coat is warm"));
        FilterReport exact = new FilterReport();
        assertEquals(List.of("A coat is warm.", "a COAT,  is warm!", "Ａ coat is warm"),
                texts(SentenceFilter.builder().optDedup(SentenceFilter.Dedup.EXACT).build().apply(in, exact)));
        assertEquals(Map.of(FilterRule.DEDUP_EXACT, 1), exact.asMap());
        FilterReport norm = new FilterReport();
        assertEquals(List.of("A coat is warm."),
                texts(SentenceFilter.builder().optDedup(SentenceFilter.Dedup.NORMALIZED).build().apply(in, norm)));
        assertEquals(1, norm.dropped(FilterRule.DEDUP_EXACT));
        assertEquals(2, norm.dropped(FilterRule.DEDUP_NORMALIZED)); // punctuation/case and the full-width A (NFKC)
        assertEquals("a coat is warm", SentenceFilter.normalize("  A COAT, is —warm!! "));
    }

    @Test
    void lengthRulesInWordsAndCodePoints() {
        SentenceFilter f = SentenceFilter.builder().optMinWords(2).optMaxWords(4).optMinChars(8).optMaxChars(20).build();
        FilterReport r = new FilterReport();
        List<CorpusSentence> in = List.of(wiki("Coat."), wiki("One two three four five."), wiki("A b c"),
                wiki("Coats are warm."), wiki("Extraordinarily longwinded sentence"), wiki("\uD83D\uDC5F is a shoe"));
        // "A b c" has 5 chars < 8; the emoji line is 11 code points (12 UTF-16 units), kept
        assertEquals(List.of("Coats are warm.", "\uD83D\uDC5F is a shoe"), texts(f.apply(in, r)));
        assertEquals(Map.of(FilterRule.MIN_WORDS, 1, FilterRule.MAX_WORDS, 1, FilterRule.MIN_CHARS, 1,
                FilterRule.MAX_CHARS, 1), r.asMap());
        assertEquals(3, SentenceFilter.wordCount("  a\tb\nc "));
        assertEquals(0, SentenceFilter.wordCount("   "));
    }

    @Test
    void languageRules() {
        // 'Это рубашка' : 10 Cyrillic letters; 'a Это' : 1 Latin of 4 letters = 0.25
        assertEquals(0.0, SentenceFilter.latinLetterRatio("Это рубашка."), 1e-12);
        assertEquals(0.25, SentenceFilter.latinLetterRatio("a Это"), 1e-12);
        assertEquals(1.0, SentenceFilter.latinLetterRatio("Crème brûlée"), 1e-12);
        assertEquals(0.0, SentenceFilter.latinLetterRatio("1234 !!"), 1e-12);
        // 'the', 'of', 'a' are stop words: 3 of 6 words
        assertEquals(0.5, SentenceFilter.stopWordRatio("The sole of a sandal flexes."), 1e-12);
        assertEquals(0.0, SentenceFilter.stopWordRatio("Schuhe sind bequem."), 1e-12);

        SentenceFilter f = SentenceFilter.builder().optMinLatinRatio(0.9).optMinStopWordRatio(0.2).build();
        FilterReport r = new FilterReport();
        List<CorpusSentence> in = List.of(wiki("Это рубашка."), wiki("Schuhe sind bequem."),
                wiki("The sole of a sandal flexes."), wiki("12345"));
        assertEquals(List.of("The sole of a sandal flexes."), texts(f.apply(in, r)));
        assertEquals(Map.of(FilterRule.LATIN_RATIO, 2, FilterRule.STOP_WORD_RATIO, 1), r.asMap());
    }

    @Test
    void templatesAreExemptButSeedDedup() {
        List<CorpusSentence> in = List.of(new CorpusSentence("a photo of a Coat .", TextSources.TEMPLATES),
                wiki("A photo of a coat."), wiki("Coats keep people warm in winter."));
        FilterReport r = new FilterReport();
        List<CorpusSentence> out = SentenceFilter.recommended().apply(in, r);
        // the template is 5 words and would pass anyway; the wiki copy of it is a normalised duplicate
        assertEquals(List.of("a photo of a Coat .", "Coats keep people warm in winter."), texts(out));
        assertEquals(1, r.dropped(FilterRule.DEDUP_NORMALIZED));

        SentenceFilter strict = SentenceFilter.builder().optMinWords(50).build();
        assertEquals(1, strict.apply(in, new FilterReport()).size());
        SentenceFilter noExempt = SentenceFilter.builder().optMinWords(50).optExemptSources(Set.of()).build();
        assertEquals(0, noExempt.apply(in, new FilterReport()).size());
    }

    @Test
    void optionValidation() {
        assertThrows(IllegalArgumentException.class, () -> SentenceFilter.builder().optMinWords(-1));
        assertThrows(IllegalArgumentException.class, () -> SentenceFilter.builder().optMinLatinRatio(1.5));
        assertThrows(IllegalArgumentException.class, () -> SentenceFilter.builder().optMinStopWordRatio(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> SentenceFilter.builder().optMinWords(5).optMaxWords(4).build());
        assertThrows(IllegalArgumentException.class, () -> SentenceFilter.builder().optMinChars(5).optMaxChars(4).build());
    }
}
