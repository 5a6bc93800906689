package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.cli.OutputSpec;
import dev.vlltr.runtime.cli.StageDefinition;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each stage app's declared parameters and inputs (its {@code DEFINITION}, what its --help documents) agree with
 * pipeline.yaml: names, types, defaults, choices and required inputs; and every upstream output a stage reads is one
 * its upstream stage declares. A stage app and the spec, or two stage apps, that disagree fail here.
 */
class StageAppsConformTest {

    static Stream<StageDefinition> stageApps() {
        return Stream.of(
                dev.vlltr.stage.textcrawl.TextCrawlCommand.DEFINITION,
                dev.vlltr.stage.cvlp.CvlpCommand.DEFINITION,
                dev.vlltr.stage.anchors.AnchorSelectionCommand.DEFINITION,
                dev.vlltr.stage.lgr.LgrCommand.DEFINITION,
                dev.vlltr.stage.recalibration.RecalibrationCommand.DEFINITION,
                dev.vlltr.stage.evaluation.EvaluationCommand.DEFINITION);
    }

    @Test
    void everyUpstreamOutputAStageReadsIsDeclaredByTheStageItIsWiredFrom() {
        assertEquals(List.of(), SpecConformance.upstreamOutputMismatches(PipelineSpecTest.SPEC, stageApps().toList()));
    }

    @Test
    void aRenamedUpstreamOutputFailsTheCheck() {
        StageDefinition cvlp = dev.vlltr.stage.cvlp.CvlpCommand.DEFINITION;
        List<OutputSpec> renamed = cvlp.outputs().stream()
                .map(o -> o.name().equals("encoders")
                        ? OutputSpec.of("weights", o.file(), o.kind(), o.description()) : o)
                .toList();
        StageDefinition cvlpRenamed = new StageDefinition(cvlp.name(), cvlp.summary(), cvlp.params(), cvlp.inputs(),
                renamed);
        List<StageDefinition> apps = stageApps().map(a -> a.name().equals("cvlp") ? cvlpRenamed : a).toList();
        List<String> mismatches = SpecConformance.upstreamOutputMismatches(PipelineSpecTest.SPEC, apps);
        assertTrue(mismatches.stream().anyMatch(m -> m.contains("stage 'lgr'") && m.contains("'encoders'")),
                mismatches.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stageApps")
    void stageAppMatchesPipelineYaml(StageDefinition app) {
        PipelineSpec spec = PipelineSpecTest.SPEC;
        assertEquals(List.of(), SpecConformance.mismatches(spec, spec.stage(app.name()), app));
    }
}
