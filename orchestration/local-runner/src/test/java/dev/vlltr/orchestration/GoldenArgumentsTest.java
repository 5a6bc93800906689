package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * orchestration/testdata/stage-arguments.json holds one run's command lines, reviewed by hand. The local runner's plan
 * must reproduce it exactly; the Airflow DAG's tests check the same file (test_golden_arguments.py), so the two
 * runners cannot invoke a stage differently.
 */
class GoldenArgumentsTest {

    @Test
    void localRunnerProducesTheGoldenCommandLines() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode golden = json.readTree(RepoFiles.root().resolve("orchestration/testdata/stage-arguments.json").toFile());
        @SuppressWarnings("unchecked")
        Map<String, Object> params = json.convertValue(golden.get("params"), Map.class);
        List<StageExecution> plan = ExecutionPlan.of(PipelineSpecTest.SPEC, golden.get("runId").asText(),
                "s3://vlltr/runs", "http://mlflow.vlltr.svc.cluster.local:5000", params);
        List<String> expected = new ArrayList<>();
        golden.get("executions").forEach(e -> expected.add(e.get("id").asText() + " " + e.get("manifest").asText() + " "
                + e.get("arguments")));
        List<String> actual = new ArrayList<>();
        plan.forEach(e -> actual.add(e.id() + " " + e.manifest() + " " + json.valueToTree(e.arguments())));
        assertEquals(expected, actual);
    }
}
