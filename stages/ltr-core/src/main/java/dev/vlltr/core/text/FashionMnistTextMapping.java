package dev.vlltr.core.text;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hand-checked text mapping of the 10 Fashion-MNIST classes (label order of the dataset README).
 *
 * <p>WordNet 3.0 synsets are the garment senses ({@code noun.artifact}), not the first senses: {@code top} has 11
 * noun senses and #1 is "the upper part of anything"; {@code sneaker} #2 is "informer"; {@code coat} #3 is "pelage";
 * {@code bag} #2 is "quantity of game"; there is no {@code ankle_boot} lemma, so Ankle boot uses {@code boot}.
 * GCIDE (Webster 1913) has no T-shirt, pullover or ankle boot: T-shirt/top uses {@code jersey} sense 2, Pullover
 * {@code sweater} 2(b), Ankle boot {@code boot} (the 2nd noun entry) sense 1; Sandal is the 3rd noun entry (the first
 * two are a cloth and sandalwood) and Sneaker sense 3 (1 is "one who sneaks").
 */
public final class FashionMnistTextMapping {

    /** The 10 classes. */
    public static final List<ClassTextMapping> CLASSES = List.of(
            mapping(0, "T-shirt/top", "T-shirt", List.of(3595614L, 4453666L), "jersey:n/2"),
            mapping(1, "Trouser", "Trousers", List.of(4489008L), "trousers:n"),
            mapping(2, "Pullover", "Sweater", List.of(4021028L), "sweater:n/2b"),
            mapping(3, "Dress", "Dress", List.of(3236735L), "dress:n/1,2"),
            mapping(4, "Coat", "Coat (clothing)", List.of(3057021L), "coat:n/1"),
            mapping(5, "Sandal", "Sandal", List.of(4133789L), "sandal:n#3"),
            mapping(6, "Shirt", "Shirt", List.of(4197391L), "shirt:n"),
            mapping(7, "Sneaker", "Sneakers", List.of(3472535L), "sneaker:n/3"),
            mapping(8, "Bag", "Bag", List.of(2773037L), "bag:n/1"),
            mapping(9, "Ankle boot", "Boot", List.of(2872752L), "boot:n#2/1"));

    private FashionMnistTextMapping() {}

    private static ClassTextMapping mapping(int id, String name, String wiki, List<Long> synsets, String gcide) {
        return new ClassTextMapping(id, name, wiki, synsets, List.of(GcideSelection.parse(gcide)));
    }

    /**
     * @param name a class name, any case
     * @return its mapping, if it is a Fashion-MNIST class
     */
    public static Optional<ClassTextMapping> byName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return CLASSES.stream().filter(c -> c.name().toLowerCase(Locale.ROOT).equals(n)).findFirst();
    }
}
