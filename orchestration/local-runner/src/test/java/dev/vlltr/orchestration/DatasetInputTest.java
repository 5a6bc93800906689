package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.orchestration.PipelineSpec.StageInput;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pipeline parameter {@code dataset} reaches every stage that reads images (or class names) as its input
 * {@code dataset}: a URI as given, a shipped dataset's name as {@code <data_root>/<name>/dataset.yaml}. The Airflow DAG
 * resolves it the same way (tests/test_dataset_param.py).
 */
class DatasetInputTest {

    static final PipelineSpec SPEC = PipelineSpecTest.SPEC;
    /** Evaluation reads no images: its lineage names the dataset of the cvlp manifest upstream. */
    static final List<String> READERS = List.of("text-crawl", "cvlp", "anchor-selection", "lgr", "recalibration");

    static String datasetInput(StageExecution e) {
        List<String> a = e.arguments();
        List<String> found = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < a.size(); i++) {
            if (a.get(i).equals("--input") && a.get(i + 1).startsWith("dataset=")) {
                found.add(a.get(i + 1).substring("dataset=".length()));
            }
        }
        assertEquals(1, found.size(), e.id() + ": " + a);
        return found.get(0);
    }

    @Test
    void everyStageThatReadsTheDatasetGetsItAsAnInput() {
        List<String> wired = SPEC.stages().stream().filter(s -> s.inputs().stream()
                .anyMatch(i -> i.name().equals("dataset") && "dataset".equals(i.param()))).map(s -> s.name()).toList();
        assertEquals(READERS, wired);
        assertEquals("fmnist-lt-if100", SPEC.params().get("dataset").defaultValue());
        assertEquals("s3://vlltr/datasets", SPEC.params().get("data_root").defaultValue());
    }

    @ParameterizedTest
    @CsvSource({
        "fmnist-lt-quick, s3://vlltr/datasets, s3://vlltr/datasets/fmnist-lt-quick/dataset.yaml",
        "fmnist-lt-quick, s3://vlltr/datasets/, s3://vlltr/datasets/fmnist-lt-quick/dataset.yaml",
        "fmnist-lt-if100, file:///repo/datasets, file:///repo/datasets/fmnist-lt-if100/dataset.yaml",
        "s3://mine/data/dataset.yaml, s3://vlltr/datasets, s3://mine/data/dataset.yaml",
        "file:///data/mine/dataset.yaml, s3://vlltr/datasets, file:///data/mine/dataset.yaml",
    })
    void everyExecutionGetsTheResolvedSpec(String dataset, String dataRoot, String expected) {
        List<StageExecution> plan = ExecutionPlan.of(SPEC, "run-1", "s3://vlltr/runs", "none",
                Map.of("dataset", dataset, "data_root", dataRoot, "methods", List.of("crt", "tau")));
        assertEquals(7, plan.size());   // 4 stages, 2 methods, evaluation
        for (StageExecution e : plan) {
            if (!e.stage().equals("evaluation")) {
                assertEquals(expected, datasetInput(e), e.id());
            }
        }
    }

    @Test
    void aNameWithoutATemplateIsRejected() {
        StageInput plain = new StageInput("dataset", null, "dataset", null, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plain.uri(Map.of("dataset", "fmnist-lt-quick")));
        assertTrue(e.getMessage().contains("expected a URI"), e.getMessage());
        assertEquals("s3://b/x.yaml", plain.uri(Map.of("dataset", "s3://b/x.yaml")));
    }

    @Test
    void everyShippedFashionMnistSpecIsInTheRepository() {
        for (String name : List.of("fmnist-lt-if100", "fmnist-lt-fewshot", "fmnist-lt-quick")) {
            assertTrue(Files.isRegularFile(RepoFiles.root().resolve("datasets").resolve(name).resolve("dataset.yaml")),
                    name);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // a stage input's replacement | message starts with
        "{ name: dataset, param: dataset, from: text-crawl, byName: \"{data_root}/{value}/dataset.yaml\" }"
            + "|p.yaml: stages[1] (cvlp).inputs[0]: expected exactly one of 'from' and 'param'",
        "{ name: dataset, param: seed, byName: \"{data_root}/{value}/dataset.yaml\" }"
            + "|p.yaml: stages[1] (cvlp).inputs[0].param: expected a string pipeline parameter",
        "{ name: dataset, param: dataset, byName: \"{nope}/{value}/dataset.yaml\" }"
            + "|p.yaml: stages[1] (cvlp).inputs[0].byName: expected placeholders naming pipeline parameters",
    })
    void badParameterInputsAreRejectedNamingTheField(String replacement, String expected) throws Exception {
        String original = Files.readString(RepoFiles.pipelineYaml());
        String cvlpInput = "      - { name: dataset, param: dataset, byName: \"{data_root}/{value}/dataset.yaml\", required: false }\n"
                + "      - { name: corpus, from: text-crawl }";
        assertTrue(original.contains(cvlpInput), "cvlp's inputs changed: update this test");
        String yaml = original.replace(cvlpInput, "      - " + replacement + "\n      - { name: corpus, from: text-crawl }");
        PipelineSpecException e = assertThrows(PipelineSpecException.class,
                () -> PipelineSpecReader.parse(yaml, "p.yaml"));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }
}
