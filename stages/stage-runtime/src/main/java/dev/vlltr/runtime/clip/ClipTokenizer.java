package dev.vlltr.runtime.clip;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.vlltr.runtime.cli.BadInputException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * CLIP's {@code clip.tokenize(texts, context_length, truncate=True)} over a Hugging Face {@code tokenizer.json} loaded
 * offline by DJL's native tokenizers: the file's template adds {@code <|startoftext|>} and {@code <|endoftext|>}, a
 * sentence longer than the context is cut with end-of-text kept last, and the rest is padded with 0 (OpenAI's pad).
 */
public final class ClipTokenizer implements AutoCloseable {

    public static final String SOT = "<|startoftext|>";
    public static final String EOT = "<|endoftext|>";

    private final HuggingFaceTokenizer tokenizer;
    private final int contextLength;
    private final long sotId;
    private final long eotId;

    private ClipTokenizer(HuggingFaceTokenizer tokenizer, int contextLength, long sotId, long eotId) {
        this.tokenizer = tokenizer;
        this.contextLength = contextLength;
        this.sotId = sotId;
        this.eotId = eotId;
    }

    /**
     * Loads a tokenizer.json and checks it against the model: its ids must fit the embedding table and it must add
     * CLIP's start and end tokens itself.
     *
     * @param file          the tokenizer.json
     * @param where         the file as the user named it
     * @param contextLength token ids per sentence (77)
     * @param vocabSize     the model's token-embedding rows
     */
    public static ClipTokenizer load(Path file, String where, int contextLength, int vocabSize) {
        HuggingFaceTokenizer tok;
        try {
            // the library's own truncation and padding are off: CLIP's rule is applied in tokenize
            tok = HuggingFaceTokenizer.newInstance(file, Map.of("addSpecialTokens", "true", "truncation", "false",
                    "padding", "false"));
        } catch (java.io.IOException | RuntimeException e) {
            throw new BadInputException(where + ": not a loadable Hugging Face tokenizers file: " + e.getMessage());
        }
        try {
            long[] probe = tok.encode("a", true, false).getIds();
            long[] sot = tok.encode(SOT, false, false).getIds();
            long[] eot = tok.encode(EOT, false, false).getIds();
            if (sot.length != 1 || eot.length != 1) {
                throw new BadInputException(where + ": " + SOT + " and " + EOT + " must each be one token (CLIP's"
                        + " special tokens), got ids " + Arrays.toString(sot) + " and " + Arrays.toString(eot));
            }
            if (probe.length < 2 || probe[0] != sot[0] || probe[probe.length - 1] != eot[0]) {
                throw new BadInputException(where + ": its post-processor must wrap a sentence as " + SOT + " ... "
                        + EOT + " (ids " + sot[0] + " ... " + eot[0] + "), got " + Arrays.toString(probe)
                        + " for \"a\"");
            }
            long maxId = Math.max(maxId(file, where), Math.max(sot[0], eot[0]));
            if (maxId >= vocabSize) {
                throw new BadInputException(where + ": token ids up to " + maxId + " (end-of-text " + eot[0]
                        + "), the model's token_embedding has " + vocabSize + " rows (bundle.json vocabSize)");
            }
            return new ClipTokenizer(tok, contextLength, sot[0], eot[0]);
        } catch (RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    /** The largest id of the file's vocabulary and added tokens (the library does not expose the vocabulary). */
    private static long maxId(Path file, String where) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new BadInputException(where + ": not valid JSON: " + e.getMessage());
        }
        long max = -1;
        for (com.fasterxml.jackson.databind.JsonNode id : root.path("model").path("vocab")) {
            max = Math.max(max, id.asLong());
        }
        for (com.fasterxml.jackson.databind.JsonNode t : root.path("added_tokens")) {
            max = Math.max(max, t.path("id").asLong());
        }
        return max;
    }

    /** @return token ids per sentence */
    public int contextLength() {
        return contextLength;
    }

    /** @return the end-of-text id (the text tower reads the feature at its position) */
    public long eotId() {
        return eotId;
    }

    /** @return the start-of-text id */
    public long sotId() {
        return sotId;
    }

    /** @return one row of {@link #contextLength()} ids per sentence */
    public long[][] tokenize(List<String> sentences) {
        long[][] out = new long[sentences.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = fit(tokenizer.encode(sentences.get(i), true, false).getIds(), contextLength, eotId, 0);
        }
        return out;
    }

    /**
     * CLIP's truncate=True: the first {@code context} ids with the last one replaced by end-of-text when cut, then
     * {@code pad} up to the context.
     */
    public static long[] fit(long[] ids, int context, long eot, long pad) {
        long[] row = new long[context];
        Arrays.fill(row, pad);
        System.arraycopy(ids, 0, row, 0, Math.min(ids.length, context));
        if (ids.length > context) {
            row[context - 1] = eot;
        }
        return row;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
