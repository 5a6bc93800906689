package dev.vlltr.core.text;

import java.util.List;

/**
 * The 80 CLIP ImageNet prompt templates exactly as VL-LTR's {@code mcloader/prompt_template.py}, in the same order.
 *
 * <p>VL-LTR fills them with {@code template.format(name + ' ')}, so the sentence ends with a space before the period
 * ("a bad photo of a dog ."); {@link #sentencesFor(String)} does the same. The corpus builder prepends these 80
 * sentences to every class text, as {@code SentPreProcessor.get_clip_text} does, so every class has at least 80.
 */
public final class PromptTemplates {

    /** The templates; {@code {}} is the class-name slot. */
    public static final List<String> TEMPLATES = List.of(
            "a bad photo of a {}.",
            "a photo of many {}.",
            "a sculpture of a {}.",
            "a photo of the hard to see {}.",
            "a low resolution photo of the {}.",
            "a rendering of a {}.",
            "graffiti of a {}.",
            "a bad photo of the {}.",
            "a cropped photo of the {}.",
            "a tattoo of a {}.",
            "the embroidered {}.",
            "a photo of a hard to see {}.",
            "a bright photo of a {}.",
            "a photo of a clean {}.",
            "a photo of a dirty {}.",
            "a dark photo of the {}.",
            "a drawing of a {}.",
            "a photo of my {}.",
            "the plastic {}.",
            "a photo of the cool {}.",
            "a close-up photo of a {}.",
            "a black and white photo of the {}.",
            "a painting of the {}.",
            "a painting of a {}.",
            "a pixelated photo of the {}.",
            "a sculpture of the {}.",
            "a bright photo of the {}.",
            "a cropped photo of a {}.",
            "a plastic {}.",
            "a photo of the dirty {}.",
            "a jpeg corrupted photo of a {}.",
            "a blurry photo of the {}.",
            "a photo of the {}.",
            "a good photo of the {}.",
            "a rendering of the {}.",
            "a {} in a video game.",
            "a photo of one {}.",
            "a doodle of a {}.",
            "a close-up photo of the {}.",
            "a photo of a {}.",
            "the origami {}.",
            "the {} in a video game.",
            "a sketch of a {}.",
            "a doodle of the {}.",
            "a origami {}.",
            "a low resolution photo of a {}.",
            "the toy {}.",
            "a rendition of the {}.",
            "a photo of the clean {}.",
            "a photo of a large {}.",
            "a rendition of a {}.",
            "a photo of a nice {}.",
            "a photo of a weird {}.",
            "a blurry photo of a {}.",
            "a cartoon {}.",
            "art of a {}.",
            "a sketch of the {}.",
            "a embroidered {}.",
            "a pixelated photo of a {}.",
            "itap of the {}.",
            "a jpeg corrupted photo of the {}.",
            "a good photo of a {}.",
            "a plushie {}.",
            "a photo of the nice {}.",
            "a photo of the small {}.",
            "a photo of the weird {}.",
            "the cartoon {}.",
            "art of the {}.",
            "a drawing of the {}.",
            "a photo of the large {}.",
            "a black and white photo of a {}.",
            "the plushie {}.",
            "a dark photo of a {}.",
            "itap of a {}.",
            "graffiti of the {}.",
            "a toy {}.",
            "itap of my {}.",
            "a photo of a cool {}.",
            "a photo of a small {}.",
            "a tattoo of the {}.");

    private final boolean trailingSpace;

    private PromptTemplates(boolean trailingSpace) {
        this.trailingSpace = trailingSpace;
    }

    /** @return the VL-LTR filling: the name followed by a space ({@code "a photo of a dog ."}) */
    public static PromptTemplates vlltr() {
        return new PromptTemplates(true);
    }

    /**
     * @param trailingSpace {@code true} (VL-LTR, default) fills {@code name + " "}; {@code false} fills the bare name
     *     ("a photo of a dog.", as CLIP's own zero-shot code)
     * @return the templates with that filling
     */
    public static PromptTemplates withTrailingSpace(boolean trailingSpace) {
        return new PromptTemplates(trailingSpace);
    }

    /**
     * @param className the class name
     * @return the 80 filled templates, in template order
     */
    public List<String> sentencesFor(String className) {
        if (className == null || className.isBlank()) {
            throw new IllegalArgumentException("class name must not be blank");
        }
        String slot = trailingSpace ? className + " " : className;
        return TEMPLATES.stream().map(t -> t.replace("{}", slot)).toList();
    }
}
