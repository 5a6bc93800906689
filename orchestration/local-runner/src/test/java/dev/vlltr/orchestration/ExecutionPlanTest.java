package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutionPlanTest {

    static final PipelineSpec SPEC = PipelineSpecTest.SPEC;
    static final String RUN = "run-1";
    static final String ROOT = "s3://vlltr/runs";

    static List<StageExecution> plan(Map<String, ?> overrides) {
        return ExecutionPlan.of(SPEC, RUN, ROOT, "none", overrides);
    }

    @Test
    void defaultRunHasTenExecutionsInDependencyOrder() {
        List<StageExecution> plan = plan(Map.of());
        assertEquals(List.of("text-crawl", "cvlp", "anchor-selection", "lgr", "recalibration[crt]",
                "recalibration[ncm]", "recalibration[tau]", "recalibration[lws]", "recalibration[joint]", "evaluation"),
                plan.stream().map(StageExecution::id).toList());
        assertEquals(URI.create("s3://vlltr/runs/run-1/cvlp/manifest.json"), plan.get(1).manifest());
        assertEquals(URI.create("s3://vlltr/runs/method-tau/run-1/recalibration/manifest.json"), plan.get(6).manifest());
    }

    @Test
    void downstreamInputsAreTheUpstreamManifests() {
        List<StageExecution> plan = plan(Map.of("cvlp_epochs", 50, "methods", List.of("tau", "crt")));
        StageExecution anchors = plan.get(2);
        assertEquals(List.of("--run-id", RUN, "--artifact-root", ROOT, "--tracking-uri", "none",
                "--input", "dataset=s3://vlltr/datasets/fmnist-lt-if100/dataset.yaml",
                "--input", "cvlp=s3://vlltr/runs/run-1/cvlp/manifest.json",
                "--input", "corpus=s3://vlltr/runs/run-1/text-crawl/manifest.json",
                "--param", "m=64", "--param", "strategy=anss", "--param", "split=val",
                "--param", "images-per-class=50", "--param", "seed=0"), anchors.arguments());
        assertTrue(plan.get(1).arguments().contains("epochs=50"));
        assertEquals(List.of("--run-id", RUN, "--artifact-root", ROOT + "/method-tau", "--tracking-uri", "none",
                "--input", "dataset=s3://vlltr/datasets/fmnist-lt-if100/dataset.yaml",
                "--input", "lgr=s3://vlltr/runs/run-1/lgr/manifest.json", "--param", "method=tau", "--param", "seed=0"),
                plan.get(4).arguments().subList(0, 14));  // then the stage's other parameters, at their defaults
        StageExecution eval = plan.get(plan.size() - 1);
        assertEquals(List.of("--run-id", RUN, "--artifact-root", ROOT, "--tracking-uri", "none",
                "--input", "lgr=s3://vlltr/runs/run-1/lgr/manifest.json",
                "--input", "recalibration-tau=s3://vlltr/runs/method-tau/run-1/recalibration/manifest.json",
                "--input", "recalibration-crt=s3://vlltr/runs/method-crt/run-1/recalibration/manifest.json",
                "--param", "model-name=vl-ltr", "--param", "register=true", "--param", "select-metric=val/top1",
                "--param", "ece-bins=15"), eval.arguments());
        assertEquals(7, plan.size());  // 4 stages, 2 methods, evaluation
    }

    @Test
    void cvlpGetsTheClipBundleOnlyWhenOneIsGiven() {
        List<String> none = plan(Map.of()).get(1).arguments();
        assertTrue(none.stream().noneMatch(a -> a.startsWith("clip-bundle")), "empty clip_bundle: no input, " + none);
        List<String> given = plan(Map.of("clip_bundle", "file:///models/clip-rn50/", "text_encoder", "clip",
                "preset", "imagenet-lt-rn50")).get(1).arguments();
        int at = given.indexOf("clip-bundle=file:///models/clip-rn50/");
        assertEquals("--input", given.get(at - 1), "the bundle is cvlp's input 'clip-bundle': " + given);
        assertTrue(given.contains("text-encoder=clip") && given.contains("preset=imagenet-lt-rn50"), given::toString);
    }

    @Test
    void localFileRootsWork() {
        StageExecution crawl = ExecutionPlan.of(SPEC, RUN, "file:///tmp/vlltr-runs", "none", Map.of()).get(0);
        assertEquals(URI.create("file:///tmp/vlltr-runs/run-1/text-crawl/manifest.json"), crawl.manifest());
    }

    @Test
    void badRequestsAreRejectedWithTheReason() {
        assertEquals("unknown pipeline parameter 'epochs'; expected one of " + SPEC.params().keySet(),
                assertThrows(IllegalArgumentException.class, () -> plan(Map.of("epochs", 3))).getMessage());
        assertEquals("pipeline parameter 'methods': 'platt' is not one of [crt, ncm, tau, lws, joint]",
                assertThrows(IllegalArgumentException.class, () -> plan(Map.of("methods", List.of("platt"))))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plan(Map.of("methods", List.of("tau", "tau"))))
                .getMessage().contains("'tau' appears twice"));
        assertThrows(IllegalArgumentException.class, () -> plan(Map.of("methods", List.of())));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExecutionPlan.of(SPEC, "manual run", ROOT, "none", Map.of())).getMessage().startsWith("run id:"));
    }
}
