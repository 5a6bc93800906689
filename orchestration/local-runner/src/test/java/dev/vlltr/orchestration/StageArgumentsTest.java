package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The same command lines the Airflow tests pin (orchestration/airflow/tests/test_pod_specs.py), written by hand. */
class StageArgumentsTest {

    static final PipelineSpec SPEC = PipelineSpecTest.SPEC;
    static final String RUN = "manual__2026-11-23T06-18-37.123456-00-00";
    static final String ROOT = "s3://vlltr/runs";
    static final String MLFLOW = "http://mlflow.vlltr.svc.cluster.local:5000";

    static Map<String, Object> defaults() {
        Map<String, Object> p = new LinkedHashMap<>();
        SPEC.params().forEach((k, v) -> p.put(k, v.defaultValue()));
        return p;
    }

    @Test
    void cvlpGetsItsBoundAndDefaultParameters() {
        Map<String, Object> params = defaults();
        List<String> args = StageArguments.of(SPEC, SPEC.stage("cvlp"), RUN, ROOT, MLFLOW, params,
                Map.of("corpus", ROOT + "/" + RUN + "/text-crawl/manifest.json"), null);
        assertEquals(List.of("--run-id", RUN, "--artifact-root", ROOT, "--tracking-uri", MLFLOW,
                "--input", "corpus=" + ROOT + "/" + RUN + "/text-crawl/manifest.json",
                "--param", "epochs=10",
                "--param", "lambda=0.5",
                "--param", "sampler=sqrt", "--param", "seed=0", "--param", "preset=none",
                "--param", "text-encoder=minilm"), args);
    }

    @Test
    void textCrawlGetsTheDatasetInputItIsGiven() {
        assertEquals(List.of("--run-id", RUN, "--artifact-root", "file:///tmp/a", "--tracking-uri", "none",
                        "--input", "dataset=file:///d/dataset.yaml", "--param", "sources=templates,wordnet,gcide",
                        "--param", "wiki=false"),
                StageArguments.of(SPEC, SPEC.stage("text-crawl"), RUN, "file:///tmp/a", "none", defaults(),
                        Map.of("dataset", "file:///d/dataset.yaml"), null));
    }

    @Test
    void eachRecalibrationMethodWritesUnderItsOwnRoot() {
        List<String> tau = StageArguments.of(SPEC, SPEC.stage("recalibration"), RUN, ROOT, MLFLOW, defaults(),
                Map.of("lgr", "s3://x/lgr/manifest.json"), "tau");
        assertEquals(List.of("--run-id", RUN, "--artifact-root", ROOT + "/method-tau", "--tracking-uri", MLFLOW,
                "--input", "lgr=s3://x/lgr/manifest.json", "--param", "method=tau", "--param", "seed=0"), tau.subList(0, 12));
        assertTrue(tau.contains("seed=0"), "the bound parameters follow, e.g. " + tau);
        assertThrows(IllegalArgumentException.class, () -> StageArguments.of(SPEC, SPEC.stage("recalibration"), RUN,
                ROOT, MLFLOW, defaults(), Map.of(), null));
    }

    @Test
    void valuesAreFormattedLikeTheCliExpects() {
        assertEquals("true", StageArguments.format(true));
        assertEquals("100", StageArguments.format(100.0));
        assertEquals("0.2", StageArguments.format(0.2));
        assertEquals("crt,tau", StageArguments.format(List.of("crt", "tau")));
    }
}
