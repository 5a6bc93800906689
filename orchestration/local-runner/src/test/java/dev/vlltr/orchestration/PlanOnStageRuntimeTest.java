package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.orchestration.PipelineSpec.Stage;
import dev.vlltr.orchestration.PipelineSpec.StageInput;
import dev.vlltr.orchestration.PipelineSpec.StageParam;
import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageCommand;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageDefinition;
import dev.vlltr.runtime.manifest.Manifests;
import dev.vlltr.runtime.manifest.StageManifest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.vlltr.runtime.manifest.ArtifactRef;
import dev.vlltr.runtime.store.ArtifactStore;
import java.io.IOException;
import java.io.InputStream;
import java.security.NoSuchAlgorithmException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole plan of a run executed on the real stage runtime (in-process {@link StageCommand}s whose parameters and
 * inputs are exactly what pipeline.yaml declares, writing to a file:// artifact root): every stage finds its inputs,
 * the five re-calibration manifests do not collide, evaluation sees all of them, the XCom result names the manifest
 * the DAG reads, a second run is fully memoised, and a changed parameter re-runs exactly the stages downstream of it.
 */
class PlanOnStageRuntimeTest {

    static final PipelineSpec SPEC = PipelineSpecTest.SPEC;
    static final ObjectMapper JSON = new ObjectMapper();

    /** A stage app declaring exactly the spec's parameters and inputs; it records what it was given. */
    static final class SpecStage extends StageCommand {
        private final StageDefinition definition;

        SpecStage(StageDefinition definition) {
            this.definition = definition;
        }

        @Override
        protected StageDefinition definition() {
            return definition;
        }

        @Override
        protected void execute(StageContext ctx) throws Exception {
            StringBuilder sb = new StringBuilder(ctx.stage() + " " + ctx.params().asStrings() + "\n");
            int inputs = 0;
            for (InputSpec in : definition.inputs()) {
                if (ctx.hasInput(in.name()) && in.digest() != null) {
                    sb.append(in.name()).append(" <- parameter input\n");  // a dataset spec, not a manifest
                    inputs++;
                } else if (ctx.hasInput(in.name())) {
                    StageManifest upstream = ctx.inputManifest(in.name());  // reads and verifies the upstream manifest
                    sb.append(in.name()).append(" <- ").append(upstream.stage()).append('\n');
                    inputs++;
                }
            }
            Files.writeString(ctx.output("result", ctx.stage() + ".txt"), sb.toString());
            ctx.headline("inputs", inputs);
        }
    }

    /** The StageDefinition pipeline.yaml implies for a stage (what a conforming app declares). */
    static StageDefinition implied(Stage stage) {
        List<ParamSpec> params = new ArrayList<>();
        for (StageParam p : stage.params()) {
            String dflt = p.bound() ? StageArguments.format(SPEC.params().get(p.from()).defaultValue()) : p.defaultValue();
            params.add(new ParamSpec(p.name(), p.type().runtimeType(), dflt, p.name(), p.choices()));
        }
        List<InputSpec> inputs = new ArrayList<>();
        for (StageInput in : stage.inputs()) {
            if (in.isPerFanOutValue()) {
                Stage upstream = SPEC.stage(in.from());
                for (Object v : SPEC.params().get(upstream.fanOut().over()).items().enumValues()) {
                    inputs.add(InputSpec.optional(in.name() + "-" + v, "manifest of " + in.from() + " " + v));
                }
            } else if (in.fromParam()) {
                // a URI from a pipeline parameter (the dataset spec): its bytes are its digest here
                inputs.add(new InputSpec(in.name(), in.isRequired(), "from parameter " + in.param())
                        .digestedBy(PlanOnStageRuntimeTest::bytesDigest));
            } else {
                inputs.add(new InputSpec(in.name(), in.isRequired(), "manifest of " + in.from()));
            }
        }
        return new StageDefinition(stage.name(), stage.summary(), params, inputs);
    }

    static Map<String, Object> withM32(Map<String, Object> params) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put("m", 32);
        return p;
    }

    static ArtifactRef bytesDigest(ArtifactStore store, URI uri) throws IOException {
        try (InputStream in = store.open(uri)) {
            byte[] bytes = in.readAllBytes();
            return new ArtifactRef(uri, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                    (long) bytes.length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A data root holding the shipped datasets' specs by name, as the pipeline's {@code data_root} expects. */
    static Map<String, Object> localDataRoot(Path root) throws IOException {
        Path data = Files.createDirectories(root.resolve("datasets"));
        for (String name : List.of("fmnist-lt-if100", "fmnist-lt-quick", "fmnist-lt-fewshot")) {
            Files.createDirectories(data.resolve(name));
            Files.writeString(data.resolve(name).resolve("dataset.yaml"), "name: " + name + "\n");
        }
        return Map.of("data_root", data.toUri().toString().replaceAll("/$", ""));
    }

    /** Runs every execution of the plan; returns stage id -> manifest bytes. */
    static Map<String, byte[]> run(List<StageExecution> plan, Path xcom) throws Exception {
        Map<String, byte[]> manifests = new LinkedHashMap<>();
        for (StageExecution e : plan) {
            StageDefinition def = implied(SPEC.stage(e.stage()));
            assertEquals(List.of(), SpecConformance.mismatches(SPEC, SPEC.stage(e.stage()), def));
            List<String> args = new ArrayList<>(e.arguments());
            args.addAll(List.of("--xcom-dir", xcom.toString()));
            assertEquals(0, StageCommand.run(new SpecStage(def), args.toArray(String[]::new)), e.id() + " " + args);
            Path manifest = Path.of(e.manifest());
            assertTrue(Files.isRegularFile(manifest), e.id() + ": no manifest at the planned " + e.manifest());
            JsonNode result = JSON.readTree(xcom.resolve("return.json").toFile());
            assertEquals(e.manifest().toString(), result.get("manifest").asText(), e.id() + ": XCom manifest");
            manifests.put(e.id(), Files.readAllBytes(manifest));
        }
        return manifests;
    }

    @Test
    void planRunsEndToEndAndIsMemoised(@TempDir Path root, @TempDir Path xcom) throws Exception {
        Map<String, Object> data = localDataRoot(xcom);
        List<StageExecution> plan = ExecutionPlan.of(SPEC, "run-1", root.toUri().toString(), "none", data);
        Map<String, byte[]> first = run(plan, xcom);
        assertEquals(10, first.size());

        StageManifest eval = Manifests.parse(first.get("evaluation"), URI.create("evaluation"));
        assertEquals(List.of("lgr", "recalibration-crt", "recalibration-joint", "recalibration-lws",
                "recalibration-ncm", "recalibration-tau"), List.copyOf(eval.inputs().keySet()));
        for (String m : List.of("crt", "ncm", "tau", "lws", "joint")) {
            assertEquals(sha256(first.get("recalibration[" + m + "]")),
                    eval.inputs().get("recalibration-" + m).sha256(), m);
            StageManifest recal = Manifests.parse(first.get("recalibration[" + m + "]"), URI.create(m));
            assertEquals(m, recal.params().get("method"));
        }
        assertEquals(6.0, eval.metrics().get("inputs"));

        Map<String, byte[]> again = run(plan, xcom);  // nothing changed: every stage is skipped
        first.forEach((id, bytes) -> assertEquals(new String(bytes), new String(again.get(id)), id + " re-ran"));

        List<StageExecution> changed = ExecutionPlan.of(SPEC, "run-1", root.toUri().toString(), "none",
                withM32(data));  // anchor-selection's M: it and everything downstream re-run
        Map<String, byte[]> third = run(changed, xcom);
        for (String id : List.of("text-crawl", "cvlp")) {
            assertEquals(new String(first.get(id)), new String(third.get(id)), id + " should be memoised");
        }
        for (String id : third.keySet()) {
            if (!id.equals("text-crawl") && !id.equals("cvlp")) {
                assertFalse(new String(first.get(id)).equals(new String(third.get(id))), id + " should have re-run");
            }
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
