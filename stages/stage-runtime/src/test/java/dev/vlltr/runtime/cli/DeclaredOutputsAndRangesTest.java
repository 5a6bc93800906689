package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.FileArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stage's definition declares its outputs and the ranges of its numbers: the runtime refuses undeclared or missing
 * outputs and reads of undeclared upstream outputs, rejects out-of-range values before any work, and --help shows
 * both.
 */
class DeclaredOutputsAndRangesTest {

    @TempDir
    Path tmp;

    static final OutputSpec RESULT = OutputSpec.of("result", "result.txt", "text", "the sum");

    static StageDefinition definition(List<OutputSpec> outputs) {
        return new StageDefinition("decl", "declares outputs",
                List.of(ParamSpec.integer("epochs", 2, "Epochs").min(1),
                        ParamSpec.decimal("lr", 0.1, "Learning rate").above(0),
                        ParamSpec.decimal("alpha", 0.2, "Weight").between(0, 1),
                        ParamSpec.decimals("taus", "0,1", "Taus").min(0)),
                List.of(InputSpec.optional("up", "manifest of an upstream stage").reading("result")), outputs);
    }

    StageRunner.Result run(StageDefinition def, Map<String, String> params, StageRunner.Body body) throws Exception {
        return new StageRunner(new FileArtifactStore(), tmp.resolve("work"), new XcomWriter(tmp.resolve("xcom")))
                .run(def, new StageConfig("run-1", tmp.resolve("root").toString(), null, null, Map.of(), params), true,
                        body);
    }

    @Test
    void declaredOutputsArePublishedAndUndeclaredOrMissingOnesFailTheStage() throws Exception {
        StageRunner.Result ok = run(definition(List.of(RESULT)), Map.of(),
                ctx -> Files.writeString(ctx.output(RESULT), "3"));
        assertEquals(List.of("result"), List.copyOf(ok.manifest().outputs().keySet()));

        IllegalStateException undeclared = assertThrows(IllegalStateException.class,
                () -> run(definition(List.of(RESULT)), Map.of(), ctx -> ctx.output("other", "other.txt")));
        assertTrue(undeclared.getMessage().contains("'other'"), undeclared.getMessage());
        IllegalStateException renamedFile = assertThrows(IllegalStateException.class,
                () -> run(definition(List.of(RESULT)), Map.of(), ctx -> ctx.output("result", "sum.txt")));
        assertTrue(renamedFile.getMessage().contains("result.txt"), renamedFile.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> run(definition(List.of(RESULT)), Map.of(), ctx -> { }));
        assertTrue(missing.getMessage().contains("did not write"), missing.getMessage());
        // a stage that declares no outputs is not checked (older stages, test fixtures)
        run(definition(List.of()), Map.of(), ctx -> Files.writeString(ctx.output("anything", "a.txt"), "1"));
    }

    @Test
    void readingAnUpstreamOutputTheInputDoesNotDeclareIsAProgrammingError() throws Exception {
        StageRunner.Result up = run(definition(List.of(RESULT)), Map.of(),
                ctx -> Files.writeString(ctx.output(RESULT), "3"));
        StageDefinition down = new StageDefinition("down", "reads", List.of(),
                List.of(InputSpec.required("up", "manifest").reading("result")), List.of());
        StageRunner runner = new StageRunner(new FileArtifactStore(), tmp.resolve("work"),
                new XcomWriter(tmp.resolve("xcom")));
        StageConfig cfg = new StageConfig("run-2", tmp.resolve("root").toString(), null, null,
                Map.of("up", up.manifestUri().toString()), Map.of());
        runner.run(down, cfg, true, ctx -> assertEquals("3", Files.readString(ctx.fetchUpstreamOutput("up",
                "result"))));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> runner.run(down, cfg, true, ctx -> ctx.fetchUpstreamOutput("up", "history")));
        assertTrue(e.getMessage().contains("'history'") && e.getMessage().contains("[result]"), e.getMessage());
    }

    @Test
    void valuesOutsideTheirRangeAreRejectedBeforeAnyWorkNamingParameterAndRange() {
        String[][] cases = {{"epochs", "0", ">= 1"}, {"lr", "0", "> 0"}, {"alpha", "1.5", "[0, 1]"},
            {"taus", "0,-1", ">= 0"}};
        for (String[] c : cases) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> run(definition(List.of(RESULT)), Map.of(c[0], c[1]), ctx -> {
                        throw new AssertionError("the stage body must not run");
                    }));
            assertTrue(e.getMessage().contains("'" + c[0] + "'") && e.getMessage().contains(c[2]), e.getMessage());
        }
        assertEquals("[0, 1)", new ValueRange(0.0, false, 1.0, true).toString());
        assertTrue(new ValueRange(0.0, false, 1.0, true).contains(0) && !new ValueRange(0.0, false, 1.0, true)
                .contains(1));
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.integer("epochs", 0, "Epochs").min(1),
                "a default outside the range is a declaration error");
        assertThrows(IllegalArgumentException.class, () -> ParamSpec.string("name", "x", "Name").min(1));
    }

    @Test
    void helpListsOutputsRangesAndWhatAnInputReads() {
        StageDefinition def = definition(List.of(RESULT));
        String params = StageCommand.renderParams(def);
        assertTrue(params.contains("(default: 2; >= 1)") && params.contains("(default: 0.2; [0, 1])")
                && params.contains("(default: 0.1; > 0)"), params);
        String outputs = StageCommand.renderOutputs(def);
        assertTrue(outputs.contains("result") && outputs.contains("result.txt") && outputs.contains("the sum"),
                outputs);
        assertTrue(StageCommand.renderInputs(def).contains("Reads its outputs result."), StageCommand.renderInputs(def));
    }
}
