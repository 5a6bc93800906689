package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Building the images needs root and podman (orchestration/images/build.sh; verify-image.sh runs one), which the test
 * suite does not assume, so this checks what can be checked anywhere: the warm-up program the Dockerfile runs really
 * extracts libtorch into DJL_CACHE_DIR and computes with it, offline; and the Dockerfiles set what pipeline.yaml and
 * the stage contract rely on.
 */
class ImageDefinitionsTest {

    static final Path IMAGES = RepoFiles.root().resolve("orchestration/images");

    @Test
    void warmUpExtractsLibtorchIntoTheCacheOffline(@TempDir Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                IMAGES.resolve("DjlWarmUp.java").toString()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true",
                "DJL_CACHE_DIR", cache.toString(), "ENGINE_CACHE_DIR", cache.toString(), "PYTORCH_FLAVOR", "cpu"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "warm-up timed out");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("DJL warm-up: PyTorch 2.7.1, sum(ones(2,3)) = 6.0"), out);
        try (Stream<Path> files = Files.walk(cache)) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            assertTrue(names.contains("libtorch_cpu.so"), names::toString);
            assertTrue(names.stream().anyMatch(n -> n.endsWith("libdjl_torch.so")), names::toString);
        }
    }

    @Test
    void stageImageIsOfflineAndHasCpuAndCudaTargets() throws Exception {
        String df = Files.readString(IMAGES.resolve("Dockerfile.jvm-stage"));
        for (String target : List.of("AS app", "AS warm-cpu", "AS warm-cuda", "AS cpu", "AS cuda")) {
            assertTrue(df.contains(target), target);
        }
        String runtime = df.substring(df.indexOf("AS runtime-base"), df.indexOf("AS cpu"));
        assertTrue(runtime.contains("DJL_OFFLINE=true") && runtime.contains("OPT_OUT_TRACKING=true"), runtime);
        assertTrue(runtime.contains("DJL_CACHE_DIR=/deployments/.djl.ai"));
        assertTrue(runtime.contains("VLLTR_WORK_DIR=" + PipelineSpecTest.SPEC.kubernetes().env().get("VLLTR_WORK_DIR")));
        assertTrue(runtime.contains("USER 185"), "the pods' securityContext runs uid 185");
        assertTrue(df.contains("ENTRYPOINT [\"java\", \"-jar\", \"/deployments/quarkus-run.jar\"]"));
        assertTrue(df.contains("PYTORCH_FLAVOR=cu128") && df.contains("torch==${TORCH_VERSION}"));
        // the jar-carried libtorch and the wheel must be the same PyTorch version as the build's pin
        String pom = Files.readString(RepoFiles.root().resolve("pom.xml"));
        String pinned = pom.substring(pom.indexOf("<pytorch.native.version>") + 24, pom.indexOf("</pytorch.native.version>"));
        assertTrue(df.contains("ARG TORCH_VERSION=" + pinned) && df.contains("PYTORCH_VERSION=" + pinned), pinned);
        assertEquals("-cuda", PipelineSpecTest.SPEC.images().cudaTagSuffix());
        // nothing from a container registry: both bases are the Debian ones orchestration/images/base.sh makes
        assertTrue(df.contains("ARG JDK_IMAGE=localhost/vlltr/debian-jdk17:") && df.contains("ARG JRE_IMAGE=localhost/vlltr/debian-jre17:"));
        assertEquals(List.of("${JDK_IMAGE}", "app", "app", "${JRE_IMAGE}", "runtime-base", "runtime-base"),
                df.lines().filter(l -> l.startsWith("FROM ")).map(l -> l.split("\\s+")[1]).toList());
    }

    @Test
    void everyImageTheManifestsUseHasADefinition() throws Exception {
        String base = Files.readString(RepoFiles.root().resolve("k8s/base/kustomization.yaml"));
        assertTrue(base.contains("name: vlltr/mlflow") && Files.exists(IMAGES.resolve("Dockerfile.mlflow")));
        assertTrue(base.contains("name: vlltr/registry-service") && Files.exists(IMAGES.resolve("Dockerfile.registry")));
        String mlflowDf = Files.readString(IMAGES.resolve("Dockerfile.mlflow"));
        String tag = base.substring(base.indexOf("name: vlltr/mlflow"));
        tag = tag.substring(tag.indexOf("newTag:") + 7, tag.indexOf('\n', tag.indexOf("newTag:"))).strip();
        assertTrue(mlflowDf.contains("ARG MLFLOW_VERSION=" + tag), "k8s uses vlltr/mlflow:" + tag);
        assertTrue(new File(IMAGES.toFile(), "Dockerfile.registry").length() > 0);
    }
}
