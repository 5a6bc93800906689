package dev.vlltr.registry.error;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Request bodies are read strictly: a text field takes only a JSON string ({@code {"name":1}} is refused, not
 * turned into "1"), no text or key may hold a NUL character (PostgreSQL cannot store one, and it hides the
 * rest of a value from C-based tools), numbers are not read from strings or truncated from fractions, and
 * anything after the document ({@code {...} {...}}) is refused.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        SimpleModule strict = new SimpleModule("registry-strict-text");
        strict.addDeserializer(String.class, new TextOnly());
        strict.addKeyDeserializer(String.class, new KeyWithoutNul());
        mapper.registerModule(strict);
    }

    /** A JSON string without NUL, or null; any other token is a type error naming the field. */
    static final class TextOnly extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw MismatchedInputException.from(p, String.class,
                        "expected a JSON string, found " + p.currentToken());
            }
            return withoutNul(p, p.getText());
        }
    }

    static final class KeyWithoutNul extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            return withoutNul(ctxt.getParser(), key);
        }
    }

    static String withoutNul(JsonParser p, String s) throws IOException {
        if (s.indexOf('\u0000') >= 0) {
            throw InvalidFormatException.from(p, "NUL character (\\u0000) not allowed in text", s, String.class);
        }
        return s;
    }
}
