/**
 * The class-text corpus of VL-LTR: the model ({@link dev.vlltr.core.text.ClassCorpusEntry}, JSON Lines via
 * {@link dev.vlltr.core.text.CorpusJsonl}), the 80 CLIP prompt templates, Wikipedia text cleaning as in the official
 * {@code SentPreProcessor}, ICU4J sentence splitting, named sentence filters, and the offline text sources
 * (WordNet 3.0 and GCIDE, read through a {@link dev.vlltr.core.text.TextResourceOpener}, never by opening files here).
 */
package dev.vlltr.core.text;
