package dev.vlltr.core.data;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads and writes {@link LongTailSplit} index records as JSON (one object; field names as the record components).
 * Streams are neither opened nor closed here. Reading validates the record and rejects unknown or missing fields.
 */
public final class LongTailSplitJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false)
            .configure(JsonParser.Feature.AUTO_CLOSE_SOURCE, false)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true);

    private LongTailSplitJson() {
    }

    public static void write(LongTailSplit split, OutputStream out) throws IOException {
        MAPPER.writeValue(out, split);
    }

    /**
     * @param source name used in error messages (e.g. the file name)
     * @throws IllegalArgumentException for malformed JSON or an inconsistent record, naming the source and field
     */
    public static LongTailSplit read(InputStream in, String source) throws IOException {
        LongTailSplit split;
        try {
            split = MAPPER.readValue(in, LongTailSplit.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": not a valid long-tail split index ("
                    + e.getOriginalMessage() + ", at " + e.getLocation() + ")", e);
        }
        split.validate(source);
        return split;
    }
}
