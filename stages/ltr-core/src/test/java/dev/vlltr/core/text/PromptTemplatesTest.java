package dev.vlltr.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptTemplatesTest {

    @Test
    void eightyDistinctTemplatesWithOneSlot() {
        assertEquals(80, PromptTemplates.TEMPLATES.size());
        assertEquals(80, new HashSet<>(PromptTemplates.TEMPLATES).size());
        for (String t : PromptTemplates.TEMPLATES) {
            assertEquals(1, t.split("\\{\\}", -1).length - 1, t);
            assertTrue(t.endsWith("."), t);
        }
    }

    @Test
    void fillsLikePythonFormatWithNamePlusSpace() {
        List<String> s = PromptTemplates.vlltr().sentencesFor("Ankle boot");
        assertEquals(80, s.size());
        // template.format(name + ' ') in VL-LTR: a space before the period
        assertEquals("a bad photo of a Ankle boot .", s.get(0));
        assertEquals("a Ankle boot  in a video game.", s.get(35));
        assertEquals("a tattoo of the Ankle boot .", s.get(79));
        assertEquals("a bad photo of a Ankle boot.", PromptTemplates.withTrailingSpace(false).sentencesFor("Ankle boot").get(0));
        assertThrows(IllegalArgumentException.class, () -> PromptTemplates.vlltr().sentencesFor(" "));
    }
}
