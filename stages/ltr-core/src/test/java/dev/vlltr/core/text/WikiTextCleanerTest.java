package dev.vlltr.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WikiTextCleanerTest {

    private static final String ARTICLE = String.join("\n",
            "  A sandal is an open type of shoe.  ",
            "",
            "It has a sole.",
            "== History ==",
            "Sandals are old.",
            "=== Ancient Egypt ===",
            "Papyrus sandals were worn.",
            "== References ==",
            "Smith 2001.",
            "== History ==",
            "Sandals are older than thought.",
            "== See also ==",
            "Shoe",
            "== External links ==",
            "example.org",
            "==Further reading==",
            "A book.",
            "== Bibliography ==",
            "Another book.");

    @Test
    void parsesSectionsLikeParseWiki() {
        List<WikiSection> sections = WikiTextCleaner.builder().build().parseSections(ARTICLE);
        // a python dict: the repeated 'History' keeps its first position and its last body
        assertEquals(List.of(
                new WikiSection("summary", "A sandal is an open type of shoe.\nIt has a sole."),
                new WikiSection("History", "Sandals are older than thought."),
                new WikiSection("Ancient Egypt", "Papyrus sandals were worn."),
                new WikiSection("References", "Smith 2001."),
                new WikiSection("See also", "Shoe"),
                new WikiSection("External links", "example.org"),
                new WikiSection("Further reading", "A book."),
                new WikiSection("Bibliography", "Another book.")), sections);
    }

    @Test
    void keepsSummaryAndDropsTheFourVlltrSections() {
        String text = WikiTextCleaner.builder().build().clean(ARTICLE);
        assertEquals("A sandal is an open type of shoe.\nIt has a sole.\n"
                + "Sandals are older than thought.\nPapyrus sandals were worn.\nShoe", text);
    }

    @Test
    void optionsKeepAllDuplicatesCaseInsensitiveDropAndKeepNoise() {
        String keepAll = WikiTextCleaner.builder().optDuplicateSections(WikiTextCleaner.DuplicateSections.KEEP_ALL)
                .build().clean(ARTICLE);
        assertEquals("A sandal is an open type of shoe.\nIt has a sole.\nSandals are old.\n"
                + "Papyrus sandals were worn.\nSandals are older than thought.\nShoe", keepAll);
        String custom = WikiTextCleaner.builder().optDropSections(List.of("see ALSO", "history", "ancient egypt",
                "references", "external links", "further reading", "bibliography")).optCaseInsensitiveDrop(true)
                .build().clean(ARTICLE);
        assertEquals("A sandal is an open type of shoe.\nIt has a sole.\n", custom);
        String noise = WikiTextCleaner.builder().optDropSections(List.of()).build().clean(ARTICLE);
        assertEquals(true, noise.contains("Smith 2001.") && noise.contains("example.org"));
        // exact, case-sensitive matching is the default
        assertEquals(false, WikiTextCleaner.builder().build().isDropped("references"));
    }

    @Test
    void headerFirstGivesEmptySummary() {
        assertEquals("\nBody.", WikiTextCleaner.builder().build().clean("== Usage ==\nBody."));
        assertEquals("Usage", WikiTextCleaner.stripChars("= = Usage ==  ", "= "));
    }

    @Test
    void stripsWikiMarkupButKeepsHeaders() {
        String wikitext = String.join("\n",
                "{{Infobox shoe|name={{lang|en|Sandal}}}}'''Sandals''' are an open type of [[footwear]],"
                        + "<ref name=\"a\">Smith, p. 3</ref> worn in [[Ancient Egypt|Egypt]].<ref name=\"a\"/>",
                "[[File:Sandal.jpg|thumb|A [[leather]] sandal]]<!-- hidden -->",
                "== Materials ==",
                "* Leather&nbsp;and ''rubber'' ([http://example.org cheap ones]).",
                "{| class=\"wikitable\"\n| a || b\n|}",
                "[[Category:Footwear]]__NOTOC__ <small>Fine</small> print &amp; more.");
        String plain = WikiMarkupStripper.strip(wikitext);
        assertEquals(String.join("\n",
                "Sandals are an open type of footwear, worn in Egypt.",
                "",
                "== Materials ==",
                "Leather and rubber (cheap ones).",
                "",
                " Fine print & more."), plain);
        assertEquals("Sandals are an open type of footwear, worn in Egypt.\nLeather and rubber (cheap ones).\n"
                + "Fine print & more.", WikiTextCleaner.builder().build().clean(wikitext));
        // with stripping off, the markup stays
        assertEquals(true, WikiTextCleaner.builder().optStripMarkup(false).build().clean(wikitext).contains("'''"));
    }
}
