package dev.vlltr.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Class sentences from hand-picked GCIDE senses ({@link GcideSelection}; the obvious entry is often wrong:
 * the first {@code Sandal} noun is a cloth, {@code Sneaker} 1 is "one who sneaks"). Each selected sense becomes one
 * text, by default prefixed with the class name ({@code "Sandal: A kind of shoe ..."}) so the definition stays tied
 * to the class after sentence splitting ({@code optNamePrefix(false)} keeps the bare definition).
 */
public final class GcideSource {

    private final GcideDictionary dictionary;
    private final boolean namePrefix;

    private GcideSource(Builder b) {
        this.dictionary = Objects.requireNonNull(b.dictionary, "setDictionary is required");
        this.namePrefix = b.namePrefix;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param className the class name
     * @param selections the class's selections
     * @return the selected sense texts, in selection and sense order
     * @throws IllegalArgumentException naming the class and selection when the headword, entry or sense is missing
     */
    public List<String> sentencesFor(String className, List<GcideSelection> selections) {
        List<String> out = new ArrayList<>();
        for (GcideSelection sel : selections) {
            List<GcideEntry> matching = dictionary.entries(sel.headword()).stream()
                    .filter(e -> sel.matchesPos(e.pos())).toList();
            if (matching.size() < sel.entry()) {
                throw new IllegalArgumentException("class '" + className + "': GCIDE selection '" + sel.spec()
                        + "' asks for entry " + sel.entry() + " but '" + sel.headword() + "' has " + matching.size()
                        + " entr" + (matching.size() == 1 ? "y" : "ies") + " with that part of speech");
            }
            GcideEntry entry = matching.get(sel.entry() - 1);
            int before = out.size();
            for (GcideEntry.GcideSense sense : entry.senses()) {
                if (sel.includesSense(sense.label())) {
                    out.add(namePrefix ? className + ": " + sense.text() : sense.text());
                }
            }
            if (out.size() == before) {
                throw new IllegalArgumentException("class '" + className + "': GCIDE selection '" + sel.spec()
                        + "' matches no sense; the entry has senses "
                        + entry.senses().stream().map(GcideEntry.GcideSense::label).toList());
            }
        }
        return out;
    }

    /** Builder: {@code setDictionary} is required. */
    public static final class Builder {
        private GcideDictionary dictionary;
        private boolean namePrefix = true;

        private Builder() {}

        /** @param dictionary loaded entries @return this */
        public Builder setDictionary(GcideDictionary dictionary) {
            this.dictionary = dictionary;
            return this;
        }

        /** @param on prefix each sense with the class name (default true) @return this */
        public Builder optNamePrefix(boolean on) {
            this.namePrefix = on;
            return this;
        }

        /** @return the source */
        public GcideSource build() {
            return new GcideSource(this);
        }
    }
}
