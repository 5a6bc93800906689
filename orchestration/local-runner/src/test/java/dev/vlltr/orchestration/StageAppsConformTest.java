package dev.vlltr.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlltr.runtime.cli.StageDefinition;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each stage app's declared parameters and inputs (its {@code DEFINITION}, what its --help documents) agree with
 * pipeline.yaml: names, types, defaults, choices and required inputs. A stage app and the spec that disagree fail here.
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("stageApps")
    void stageAppMatchesPipelineYaml(StageDefinition app) {
        PipelineSpec spec = PipelineSpecTest.SPEC;
        assertEquals(List.of(), SpecConformance.mismatches(spec, spec.stage(app.name()), app));
    }
}
