package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.orchestration.PipelineSpec.Stage;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineSpecTest {

    static final PipelineSpec SPEC = PipelineSpecReader.read(RepoFiles.pipelineYaml());

    @Test
    void readsTheSixStagesInOrderWithTheirWiring() {
        assertEquals(List.of("text-crawl", "cvlp", "anchor-selection", "lgr", "recalibration", "evaluation"),
                SPEC.stages().stream().map(Stage::name).toList());
        assertEquals(java.util.Arrays.asList(null, "cvlp", "text-crawl"),
                SPEC.stage("anchor-selection").inputs().stream().map(PipelineSpec.StageInput::from).toList());
        assertEquals("dataset", SPEC.stage("anchor-selection").inputs().get(0).param(), "the dataset parameter");
        assertEquals("corpus", SPEC.stage("cvlp").inputs().get(1).name());
        PipelineSpec.StageInput fanIn = SPEC.stage("evaluation").inputs().stream()
                .filter(PipelineSpec.StageInput::isPerFanOutValue).findFirst().orElseThrow();
        assertEquals("recalibration", fanIn.from());
        assertFalse(fanIn.isRequired());
        assertEquals(List.of("dataset"), SPEC.stage("text-crawl").inputs().stream()
                .map(PipelineSpec.StageInput::name).toList());
    }

    @Test
    void gpuForCvlpLgrAndRecalibrationOnly() {
        Map<String, Integer> gpus = new java.util.LinkedHashMap<>();
        SPEC.stages().forEach(s -> gpus.put(s.name(), s.gpus()));
        assertEquals(Map.of("text-crawl", 0, "cvlp", 1, "anchor-selection", 0, "lgr", 1, "recalibration", 1,
                "evaluation", 0), gpus);
        assertEquals("nvidia.com/gpu", SPEC.kubernetes().gpu().resource());
    }

    @Test
    void recalibrationFansOutOverTheFiveMethods() {
        Stage recal = SPEC.stage("recalibration");
        assertEquals("method", recal.fanOut().param());
        assertEquals(List.of("crt", "ncm", "tau", "lws", "joint"), SPEC.fanOutDefaults(recal));
        assertEquals(List.of("crt", "ncm", "tau", "lws", "joint"), recal.param("method").orElseThrow().choices());
        assertEquals("s3://b/runs/method-tau", recal.fanOut().artifactRoot("s3://b/runs/", "tau"));
    }

    @Test
    void paperDefaults() {
        assertEquals(0.5, SPEC.params().get("lambda").defaultValue());
        assertEquals(64, SPEC.params().get("m").defaultValue());
        assertEquals(0.2, SPEC.params().get("alpha").defaultValue());
        assertEquals("sqrt", SPEC.stage("cvlp").param("sampler").orElseThrow().defaultValue());
        assertEquals("anss", SPEC.stage("anchor-selection").param("strategy").orElseThrow().defaultValue());
        assertNull(SPEC.stage("cvlp").param("lambda").orElseThrow().defaultValue());
        assertEquals("lambda", SPEC.stage("cvlp").param("lambda").orElseThrow().from());
    }

    @Test
    void theRepositorySpecIsFoundFromAModuleFolder() {
        assertEquals(SPEC, PipelineSpecReader.fromRepository());
    }

    @Test
    void unknownFieldIsRejectedNamingItsPath() throws Exception {
        String yaml = Files.readString(RepoFiles.pipelineYaml())
                .replace("    resources: { cpu: \"4\", memory: 16Gi }\n    timeoutSeconds: 86400",
                        "    resource: { cpu: \"4\", memory: 16Gi }\n    timeoutSeconds: 86400");
        PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> PipelineSpecReader.parse(yaml, "p.yaml"));
        assertTrue(e.getMessage().startsWith("p.yaml: stages[1].resource: unknown field; expected one of ["),
                e.getMessage());
        assertTrue(e.getMessage().contains("resources"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // replace | with | message contains
        "    gpu: 1\\n    resources: { cpu: \"4\", memory: 16Gi }\\n    timeoutSeconds: 86400|    gpu: one\\n    resources: { cpu: \"4\", memory: 16Gi }\\n    timeoutSeconds: 86400|p.yaml: stages[1].gpu: expected an integer",
        "{ name: wiki, type: bool, default: \"false\" }|{ name: wiki, type: bool, default: false }|p.yaml: stages[0].params[1].default: expected a string",
        "{ name: wiki, type: bool, default: \"false\" }|{ name: wiki, type: boolean, default: \"false\" }|p.yaml: stages[0].params[1].type: expected one of the ParamType values",
        "{ name: corpus, from: text-crawl }\\n      # a CLIP|{ name: corpus, from: lgr }\\n      # a CLIP|p.yaml: stages[1] (cvlp).inputs[1].from: expected an earlier stage, one of [text-crawl], got 'lgr'",
        "{ name: lambda, type: double, from: lambda }|{ name: lambda, type: double, from: lambda_ }|p.yaml: stages[1] (cvlp).params[1].from: expected a pipeline parameter",
        "{ name: lambda, type: double, from: lambda }|{ name: lambda, type: double, from: lambda, default: \"0.5\" }|p.yaml: stages[1] (cvlp).params[1]: expected exactly one of 'default' and 'from'",
        "default: sqrt, choices|default: sqrt2, choices|p.yaml: stages[1] (cvlp).params[2].default: expected one of [instance, sqrt, class-balanced], got 'sqrt2'",
        "fanOut: { param: method, over: methods|fanOut: { param: method, over: seed|p.yaml: stages[4] (recalibration).fanOut.over: expected an array pipeline parameter, got 'seed'",
        "apiVersion: vlltr.dev/v1|apiVersion: vlltr.dev/v2|p.yaml: apiVersion: expected 'vlltr.dev/v1', got 'vlltr.dev/v2'",
        "  namespace: vlltr\\n|  namespace: vlltr\\n  namespace: other\\n|p.yaml: kubernetes: Duplicate field 'namespace'",
    })
    void badSpecsAreRejectedWithTheFieldNamed(String from, String to, String expected) throws Exception {
        String original = Files.readString(RepoFiles.pipelineYaml());
        String yaml = original.replace(unescape(from), unescape(to));
        assertFalse(yaml.equals(original), "the test's replacement did not apply: " + from);
        PipelineSpecException e = assertThrows(PipelineSpecException.class, () -> PipelineSpecReader.parse(yaml, "p.yaml"));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    private static String unescape(String s) {
        return s.replace("\\n", "\n");
    }
}
