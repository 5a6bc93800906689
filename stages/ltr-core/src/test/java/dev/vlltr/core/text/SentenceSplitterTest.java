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

    /** Expected lists were produced by running VL-LTR's split_sent (Python re) on the same strings. */
    @Test
    void vlltrRegexModeMatchesPythonSplitSent() {
        SentenceSplitter s = SentenceSplitter.vlltrRegex();
        assertEquals(List.of("Sandals are old, e.g. in Egypt.", "J. Smith found one.", "The next?", "yes.", "Mr.",
                "Brown left.", "Flip-flops\nare shoes.", "U.S. troops wore them.", "It costs 3.5 dollars.", "Done"),
                s.split("Sandals are old, e.g. in Egypt. J. Smith found one.The next? yes. Mr. Brown left.\n"
                        + "Flip-flops\nare shoes. U.S. troops wore them. It costs 3.5 dollars.Done"));
        assertEquals(List.of("a photo of a dog .", "a photo of a cat .", "Wiki starts here.", "End"),
                s.split("a photo of a dog .\na photo of a cat .Wiki starts here. End"));
    }

    @Test
    void otherLocalesAndBadTags() {
        assertEquals(List.of("Das ist ein Hemd.", "Es ist blau."), SentenceSplitter.of("de", true).split("Das ist ein Hemd. Es ist blau."));
        assertEquals(List.of("这是衬衫。", "它是蓝色的。"), SentenceSplitter.of("zh", false).split("这是衬衫。它是蓝色的。"));
        assertThrows(IllegalArgumentException.class, () -> SentenceSplitter.of(" ", true));
        assertThrows(IllegalArgumentException.class, () -> SentenceSplitter.of("123", true));
    }
}
