package dev.vlltr.orchestration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads pipeline.yaml strictly: unknown fields, duplicate keys, scalars of the wrong type (a boolean where a string is
 * expected) and nulls for numbers are errors whose message names the file and the field path
 * ({@code pipeline.yaml: stages[1].resource: unknown field}).
 */
public final class PipelineSpecReader {

    private static final ObjectMapper YAML = strictMapper();

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        // stage parameter values are strings on the command line: `default: false` or `default: 128` unquoted is
        // almost always a YAML surprise (`default: 1.0E-3` vs `1.0e-3`, `no` → false), so it must be quoted
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    private PipelineSpecReader() {}

    /** The repository's path of the spec, relative to the repository root. */
    public static final String REPOSITORY_PATH = "orchestration/pipeline.yaml";

    /**
     * The repository's pipeline.yaml, found from the working directory upwards (a module's tests run in the module's
     * folder). Stage apps use it in their conformance test:
     * {@code SpecConformance.mismatches(spec, spec.stage("cvlp"), new CvlpCommand().definition())}.
     */
    public static PipelineSpec fromRepository() {
        return read(findRepositoryRoot().resolve(REPOSITORY_PATH));
    }

    /** The repository root: the working directory or the nearest parent holding {@value #REPOSITORY_PATH}. */
    public static Path findRepositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(REPOSITORY_PATH))) {
                return d;
            }
        }
        throw new PipelineSpecException(REPOSITORY_PATH + ": not found in " + dir + " or any parent folder");
    }

    /** Reads and validates a pipeline.yaml file. */
    public static PipelineSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PipelineSpecException(file + ": cannot read the pipeline spec: " + e, e);
        }
        return parse(text, file.toString());
    }

    /** Parses and validates pipeline YAML; {@code source} names it in messages. */
    public static PipelineSpec parse(String yaml, String source) {
        PipelineSpec spec;
        try {
            spec = YAML.readValue(yaml, PipelineSpec.class);
        } catch (JsonProcessingException e) {
            throw new PipelineSpecException(source + ": " + describe(e), e);
        }
        if (spec == null) {
            throw new PipelineSpecException(source + ": empty document, expected a pipeline spec");
        }
        return spec.validate(source);
    }

    private static String describe(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException m) || m.getPath().isEmpty()) {
            return "not valid YAML: " + e.getOriginalMessage();
        }
        String path = path(m);
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : "; expected one of "
                    + u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                            .collect(Collectors.joining(", ", "[", "]"));
            return path + ": unknown field" + known;
        }
        if (e instanceof InvalidFormatException f) {
            return path + ": expected " + simpleName(f.getTargetType()) + ", got '" + f.getValue() + "'";
        }
        if (e instanceof MismatchedInputException mi) {
            return path + ": expected " + simpleName(mi.getTargetType()) + " (" + firstLine(e.getOriginalMessage())
                    + ")";
        }
        return path + ": " + firstLine(e.getOriginalMessage());
    }

    static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String simpleName(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string (quote values such as \"true\" or \"128\")";
        }
        if (type.isEnum()) {
            return "one of the " + type.getSimpleName() + " values";
        }
        return "a " + type.getSimpleName();
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }
}
