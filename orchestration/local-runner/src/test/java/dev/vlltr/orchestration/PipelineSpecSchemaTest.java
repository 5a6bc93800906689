package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.lang.reflect.RecordComponent;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** pipeline.yaml against pipeline.schema.json (JSON Schema 2020-12), and the schema against the Java model. */
class PipelineSpecSchemaTest {

    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode schemaJson() throws Exception {
        return JSON.readTree(RepoFiles.pipelineSchema().toFile());
    }

    static JsonSchema schema() throws Exception {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaJson());
    }

    static JsonNode spec() throws Exception {
        return YAML.readTree(RepoFiles.pipelineYaml().toFile());
    }

    @Test
    void pipelineYamlFollowsItsSchema() throws Exception {
        Set<ValidationMessage> errors = schema().validate(spec());
        assertEquals(Set.of(), errors);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/stages/1|gpu|\"one\"|$.stages[1].gpu",
        "/stages/1|resource|{}|$.stages[1]",
        "/defaults|retries|-1|$.defaults.retries",
        "/images|tag|\"has space\"|$.images.tag",
        "/kubernetes|namespace|\"Not_A_Label\"|$.kubernetes.namespace",
        "/stages/1/params/0|default|\"x\"|$.stages[1].params[0]",
        "/stages/1/params/2|choices|[]|$.stages[1].params[2].choices",
        "/params/lambda|default|\"half\"|$.params.lambda.default",
        "/stages/1/resources|memory|\"lots\"|$.stages[1].resources.memory",
    })
    void schemaRejectsBadSpecs(String at, String field, String value, String path) throws Exception {
        JsonNode doc = spec();
        ((ObjectNode) doc.at(at)).set(field, JSON.readTree(value));
        Set<ValidationMessage> errors = schema().validate(doc);
        assertTrue(errors.stream().anyMatch(e -> e.getInstanceLocation().toString().startsWith(path)),
                () -> "expected an error at " + path + ", got " + errors);
    }

    /** A field added to the Java model but not to the schema (or the reverse) fails here. */
    @Test
    void schemaAndJavaModelHaveTheSameFields() throws Exception {
        JsonNode s = schemaJson();
        assertEquals(fields(PipelineSpec.class), keys(s.get("properties")), "top level");
        assertEquals(fields(PipelineSpec.Stage.class), keys(s.at("/$defs/stage/properties")), "stage");
        assertEquals(fields(PipelineSpec.StageParam.class), keys(s.at("/$defs/stageParam/properties")), "stageParam");
        assertEquals(fields(PipelineSpec.StageInput.class), keys(s.at("/$defs/stageInput/properties")), "stageInput");
        assertEquals(fields(PipelineSpec.FanOut.class), keys(s.at("/$defs/stage/properties/fanOut/properties")), "fanOut");
        assertEquals(fields(PipelineSpec.PipelineParam.class), keys(s.at("/$defs/pipelineParam/properties")), "param");
        assertEquals(fields(PipelineSpec.Images.class), keys(s.at("/properties/images/properties")), "images");
        assertEquals(fields(PipelineSpec.Defaults.class), keys(s.at("/properties/defaults/properties")), "defaults");
        assertEquals(fields(PipelineSpec.Kubernetes.class), keys(s.at("/properties/kubernetes/properties")), "kubernetes");
        assertEquals(fields(PipelineSpec.Gpu.class), keys(s.at("/properties/kubernetes/properties/gpu/properties")), "gpu");
        assertEquals(fields(PipelineSpec.SecretRef.class), keys(s.at("/$defs/secretRef/properties")), "secretRef");
        Set<String> types = new TreeSet<>();
        s.at("/$defs/stageParam/properties/type/enum").forEach(n -> types.add(n.asText()));
        assertEquals(Set.of("string", "int", "double", "bool", "enum", "string_list", "double_list"), types);
        assertEquals(ParamType.values().length, types.size());
    }

    private static Set<String> fields(Class<?> record) {
        Set<String> out = new TreeSet<>();
        for (RecordComponent c : record.getRecordComponents()) {
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
            if (p == null) {
                p = c.getAnnotation(JsonProperty.class);
            }
            out.add(p != null ? p.value() : c.getName());
        }
        return out;
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @SuppressWarnings("unused")
    private static String names(Set<ValidationMessage> errors) {
        return errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("\n"));
    }
}
