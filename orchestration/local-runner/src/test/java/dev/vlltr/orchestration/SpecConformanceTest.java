package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageDefinition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The check that keeps stage apps and pipeline.yaml in step. Each stage app's test calls
 * {@code SpecConformance.mismatches(spec, spec.stage("cvlp"), definition)} and expects an empty list; here it is
 * exercised on hand-written definitions that agree and that disagree in each way.
 */
class SpecConformanceTest {

    static final PipelineSpec SPEC = PipelineSpecTest.SPEC;

    /** What the cvlp app is expected to declare, written by hand from the proposal. */
    static StageDefinition cvlp(List<ParamSpec> params, List<InputSpec> inputs) {
        return new StageDefinition("cvlp", "contrastive pre-training", params, inputs);
    }

    static List<ParamSpec> cvlpParams() {
        return new ArrayList<>(List.of(
                ParamSpec.string("dataset", "fashion-mnist", "dataset"),
                ParamSpec.integer("epochs", 10, "epochs"),
                ParamSpec.integer("batch-size", 128, "batch"),
                ParamSpec.decimal("lr", 0.0005, "lr"),
                ParamSpec.decimal("lambda", 0.5, "distillation weight"),
                ParamSpec.choice("sampler", "sqrt", "sampler", "instance", "sqrt", "class-balanced"),
                ParamSpec.integer("seed", 0, "seed"),
                ParamSpec.choice("preset", "none", "paper preset", "none", "imagenet-lt-rn50", "imagenet-lt-vit16",
                        "places-lt-rn50", "places-lt-vit16", "inat-rn50", "inat-vit16"),
                ParamSpec.choice("text-encoder", "minilm", "text tower", "minilm", "scratch", "clip")));
    }

    static final List<InputSpec> CVLP_INPUTS = List.of(InputSpec.optional("dataset", "dataset spec"),
            InputSpec.required("corpus", "text-crawl manifest"), InputSpec.optional("clip-bundle", "CLIP bundle"));

    @Test
    void agreeingDefinitionHasNoMismatch() {
        assertEquals(List.of(), SpecConformance.mismatches(SPEC, SPEC.stage("cvlp"), cvlp(cvlpParams(), CVLP_INPUTS)));
    }

    @Test
    void eachDisagreementIsNamed() {
        List<ParamSpec> params = cvlpParams();
        params.set(1, ParamSpec.integer("epochs", 90, "epochs"));                   // other default
        params.set(4, ParamSpec.string("lambda", "0.5", "distillation weight"));    // other type
        params.set(5, ParamSpec.choice("sampler", "sqrt", "s", "sqrt", "instance")); // other choices
        params.remove(6);                                                          // seed missing
        params.add(ParamSpec.bool("mixup", false, "extra"));                       // app-only, has a default: fine
        params.add(ParamSpec.string("teacher", null, "extra"));                    // app-only and required
        List<InputSpec> inputs = List.of(InputSpec.optional("dataset", "d"), InputSpec.optional("corpus", "c"),
                InputSpec.optional("clip-bundle", "b"), InputSpec.required("images", "i"));
        assertEquals(List.of(
                "stage 'cvlp': parameter 'epochs' defaults to '10' in pipeline.yaml but to '90' in the app",
                "stage 'cvlp': parameter 'lambda' is DOUBLE in pipeline.yaml but STRING in the app",
                "stage 'cvlp': parameter 'sampler' allows [instance, sqrt, class-balanced] in pipeline.yaml but"
                        + " [sqrt, instance] in the app",
                "stage 'cvlp': parameter 'seed' is in pipeline.yaml but not in the app",
                "stage 'cvlp': required parameter 'teacher' of the app is not in pipeline.yaml (the runners would never set it)",
                "stage 'cvlp': input 'corpus' is required in pipeline.yaml but optional in the app",
                "stage 'cvlp': required input 'images' of the app is not wired in pipeline.yaml"),
                SpecConformance.mismatches(SPEC, SPEC.stage("cvlp"), cvlp(params, inputs)));
    }

    @Test
    void evaluationExpectsOneOptionalInputPerMethod() {
        List<InputSpec> inputs = new ArrayList<>(List.of(InputSpec.optional("lgr", "lgr manifest")));
        for (String m : List.of("crt", "ncm", "tau", "lws", "joint")) {
            inputs.add(InputSpec.optional("recalibration-" + m, m + " manifest"));
        }
        StageDefinition eval = new StageDefinition("evaluation", "eval", List.of(
                ParamSpec.string("model-name", "vl-ltr", "name"), ParamSpec.bool("register", true, "register"),
                ParamSpec.string("select-metric", "val/top1", "selection"), ParamSpec.integer("ece-bins", 15, "bins")),
                inputs);
        assertEquals(List.of(), SpecConformance.mismatches(SPEC, SPEC.stage("evaluation"), eval));

        inputs.remove(5);
        assertEquals(List.of("stage 'evaluation': input 'recalibration-joint' is in pipeline.yaml but not in the app"),
                SpecConformance.mismatches(SPEC, SPEC.stage("evaluation"),
                        new StageDefinition("evaluation", "eval", eval.params(), inputs)));
    }

    @Test
    void theFannedOutParameterMayHaveAnyDefault() {
        // every parameter as pipeline.yaml declares it, except the fanned-out 'method' whose default differs
        List<ParamSpec> params = new ArrayList<>();
        for (PipelineSpec.StageParam p : SPEC.stage("recalibration").params()) {
            String dflt = p.name().equals("method") ? "tau" : p.bound()
                    ? StageArguments.format(SPEC.params().get(p.from()).defaultValue()) : p.defaultValue();
            params.add(new ParamSpec(p.name(), p.type().runtimeType(), dflt, p.name(), p.choices()));
        }
        StageDefinition recal = new StageDefinition("recalibration", "r", params,
                List.of(InputSpec.optional("dataset", "dataset spec"), InputSpec.optional("lgr", "lgr")));
        assertEquals(List.of(), SpecConformance.mismatches(SPEC, SPEC.stage("recalibration"), recal));
    }
}
