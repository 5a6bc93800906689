package dev.vlltr.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    @Test
    void splitsOnSentenceEndsAndLineBreaks() {
        SentenceSplitter s = SentenceSplitter.english();
        assertEquals(List.of("A sandal is a shoe.", "Is it open?", "Yes!", "a photo of a Sandal .", "No period here"),
                s.split("A sandal is a shoe. Is it open? Yes!\na photo of a Sandal .\nNo period here"));
        assertEquals(List.of("Tabs and spaces collapse.", "Second."), s.split("  Tabs\tand   spaces collapse.  Second. "));
        // a line break is a paragraph separator (UAX #29 SB4), even mid-sentence
        assertEquals(List.of("Tabs and spaces", "collapse."), s.split("Tabs and spaces\n collapse."));
        assertEquals(List.of(), s.split("   \n "));
        assertEquals(List.of(), s.split(null));
    }

    @Test
    void abbreviationSuppressionIsAnOption() {
        String text = "Mr. Smith wore a coat. It was red.";
        assertEquals(List.of("Mr. Smith wore a coat.", "It was red."), SentenceSplitter.english().split(text));
        assertEquals(List.of("Mr.", "Smith wore a coat.", "It was red."), SentenceSplitter.of("en", false).split(text));
        // decimals never split
        assertEquals(List.of("It costs 3.5 dollars."), SentenceSplitter.english().split("It costs 3.5 dollars."));
    }

    @Test
    void otherLocalesAndBadTags() {
        assertEquals(List.of("Das ist ein Hemd.", "Es ist blau."), SentenceSplitter.of("de", true).split("Das ist ein Hemd. Es ist blau."));
        assertEquals(List.of("这是衬衫。", "它是蓝色的。"), SentenceSplitter.of("zh", false).split("这是衬衫。它是蓝色的。"));
        assertThrows(IllegalArgumentException.class, () -> SentenceSplitter.of(" ", true));
        assertThrows(IllegalArgumentException.class, () -> SentenceSplitter.of("123", true));
    }
}
