package dev.vlltr.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.text.ClassTextMapping;
import dev.vlltr.core.text.WordNetIndex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetClassTextsTest {

    @TempDir
    Path dir;

    static DatasetSpec spec(DatasetSpec.TextCrawl tc, String texts) throws IOException {
        DatasetSpec s = DatasetSpecReaderTest.parse(DatasetSpecReaderTest.MINIMAL);
        return new DatasetSpec(s.name(), null, s.classes(), null, s.splits(), s.geometry(), texts, null, tc);
    }

    @Test
    void wnidClassNamesMapToTheirSynsetAndTitlesCanBeOverridden() throws IOException {
        DatasetSpec spec = spec(new DatasetSpec.TextCrawl(Map.of("1", "Goldfish"),
                Map.of("n01443537", List.of("n01443537", "n02512053"))), null);
        List<ClassTextMapping> m = DatasetClassTexts.mappings(spec, List.of("n01440764", "n01443537"), null);
        assertEquals(List.of(1440764L), m.get(0).wordnetSynsets(), "an ImageNet wnid is a WordNet 3.0 noun offset");
        assertEquals("n01440764", m.get(0).wikiTitle(), "no override: the name");
        assertEquals("Goldfish", m.get(1).wikiTitle(), "override by label");
        assertEquals(List.of(1443537L, 2512053L), m.get(1).wordnetSynsets(), "override by name");
    }

    @Test
    void fashionMnistClassesWithoutATextCrawlBlockGetTheHandCheckedMapping() throws IOException {
        List<String> names = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                "Sneaker", "Bag", "Ankle boot");
        List<ClassTextMapping> m = DatasetClassTexts.mappings(spec(null, null), names, null);
        assertEquals(List.of(3595614L, 4453666L), m.get(0).wordnetSynsets(), "T-shirt/top: the garment senses");
        assertEquals("Boot", m.get(9).wikiTitle());
        assertEquals(1, m.get(9).gcide().size(), "and the GCIDE selection (boot, 2nd noun entry, sense 1)");
        // another order, or a textCrawl block, is not Fashion-MNIST's mapping: no guessing
        List<String> reversed = new java.util.ArrayList<>(names);
        java.util.Collections.reverse(reversed);
        assertEquals(List.of(), DatasetClassTexts.mappings(spec(null, null), reversed, null).get(0).wordnetSynsets());
        assertEquals(List.of(), DatasetClassTexts.mappings(spec(new DatasetSpec.TextCrawl(Map.of("0", "Tee"), null),
                null), names, null).get(0).wordnetSynsets());
    }

    @Test
    void lemmasAreLookedUpInTheInstalledWordNet() throws IOException {
        Path index = Path.of("/usr/share/wordnet/index.noun");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(index), "wordnet-base not installed");
        WordNetIndex wn;
        try (InputStream in = Files.newInputStream(index)) {
            wn = WordNetIndex.read(in);
        }
        DatasetSpec withLemma = spec(new DatasetSpec.TextCrawl(null, Map.of("Tinca", List.of("tench"))), null);
        assertTrue(DatasetClassTexts.needsIndex(withLemma));
        List<ClassTextMapping> m = DatasetClassTexts.mappings(withLemma, List.of("Tinca", "tench"), wn);
        assertTrue(m.get(0).wordnetSynsets().contains(1440764L), m.get(0).toString());
        assertEquals(List.of(), m.get(1).wordnetSynsets(), "names without an entry are not guessed here");
        DatasetSpecException e = assertThrows(DatasetSpecException.class, () -> DatasetClassTexts.mappings(
                spec(new DatasetSpec.TextCrawl(null, Map.of("0", List.of("qwertyuiop"))), null), List.of("a"), wn));
        assertTrue(e.getMessage().contains("field 'textCrawl.wordnet.a' entry 'qwertyuiop'"), e.getMessage());
        assertThrows(DatasetSpecException.class, () -> DatasetClassTexts.mappings(
                spec(new DatasetSpec.TextCrawl(Map.of("7", "x"), null), null), List.of("a"), wn), "label 7 of 1");
    }

    @Test
    void vlltrDescFilesAreReadPerLabel() throws IOException {
        Files.createDirectories(dir.resolve("texts"));
        Files.writeString(dir.resolve("texts/desc_0.txt"), "Tench is a fish.\n== Habitat ==\nRivers.\n");
        Files.writeString(dir.resolve("texts/desc_2.txt"), "Dogs bark.\n");
        Map<Integer, String> d = DatasetClassTexts.descriptions(spec(null, "texts"), new FolderFiles(dir), 3);
        assertEquals(List.of(0, 2), List.copyOf(d.keySet()));
        assertTrue(d.get(0).contains("== Habitat =="));
    }
}
