package dev.vlltr.orchestration.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vlltr.orchestration.PipelineSpecReader;
import dev.vlltr.runtime.cli.StageDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed reference pages ({@code docs/reference/stages.md}, {@code pipeline.md}, {@code local-runner.md}) are
 * exactly what {@link ReferenceDocs} renders from the code and pipeline.yaml. When they differ the test fails and
 * names the command that regenerates them ({@link ReferenceDocs#REGENERATE}); with {@code -Dvlltr.docs.update=true}
 * (or {@code VLLTR_DOCS_UPDATE=true}) it rewrites them instead.
 */
class ReferenceDocsTest {

    static boolean updating() {
        return Boolean.getBoolean("vlltr.docs.update") || "true".equalsIgnoreCase(System.getenv("VLLTR_DOCS_UPDATE"));
    }

    @Test
    void generatedReferencePagesAreCurrent() throws IOException {
        Path repo = PipelineSpecReader.findRepositoryRoot();
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> page : ReferenceDocs.render(repo).entrySet()) {
            Path file = repo.resolve(page.getKey());
            String committed = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
            if (page.getValue().equals(committed)) {
                continue;
            }
            if (updating()) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, page.getValue(), StandardCharsets.UTF_8);
            } else {
                stale.add(page.getKey() + (committed == null ? " (missing)" : " (" + firstDifference(committed,
                        page.getValue()) + ")"));
            }
        }
        if (!stale.isEmpty()) {
            fail("generated docs are out of date: " + String.join("; ", stale) + ".\nRegenerate them with:\n  "
                    + ReferenceDocs.REGENERATE + "\nand commit the result.");
        }
    }

    @Test
    void everyPipelineStageHasADocumentedApp() {
        List<String> documented = ReferenceDocs.stageDefinitions().stream().map(StageDefinition::name).toList();
        List<String> inPipeline = PipelineSpecReader.fromRepository().stages().stream().map(s -> s.name()).toList();
        assertEquals(inPipeline, documented, "ReferenceDocs.stageDefinitions() must list every stage of pipeline.yaml,"
                + " in order");
    }

    @Test
    void rendererTurnsEveryRecordComponentIntoAColumn() {
        record Spec(String name, String defaultValue, Double min, List<String> choices, boolean required) {}
        String table = ReferenceDocs.recordTable(Spec.class, List.of(new Spec("epochs", null, 1.0, List.of("a", "b"),
                true), new Spec("lr", "", null, List.of(), false)));
        assertTrue(table.startsWith("| name | default | min | choices | required |\n"), table);
        assertTrue(table.contains("| `epochs` | *required* | 1.0 | `a`, `b` | yes |"), table);
        assertTrue(table.contains("| `lr` | `\"\"` |  |  | optional |"), table);
    }

    static String firstDifference(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                return "line " + (i + 1) + ": committed '" + abbreviate(x[i]) + "', generated '" + abbreviate(y[i])
                        + "'";
            }
        }
        return "committed " + x.length + " lines, generated " + y.length;
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
