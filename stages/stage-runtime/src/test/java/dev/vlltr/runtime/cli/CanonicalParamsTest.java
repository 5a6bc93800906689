package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.manifest.Fingerprint;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.FileArtifactStore;
import dev.vlltr.runtime.testing.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18, defect 6: one value, one fingerprint, whatever its spelling; {@code --help} says what run ids accept. */
class CanonicalParamsTest {

    static final List<ParamSpec> SPECS = List.of(
            ParamSpec.decimal("lr", 5.0E-4, "learning rate"),
            ParamSpec.integer("epochs", 10, "epochs"),
            ParamSpec.bool("flag", false, "a switch"),
            ParamSpec.decimals("taus", "0.5,1.0", "a list of numbers"),
            ParamSpec.strings("sources", "a,b", "a list of names"));

    @TempDir
    Path tmp;

    private static Map<String, String> canonical(Map<String, String> given) {
        return StageParams.validate("t", SPECS, given).asStrings();
    }

    @Test
    void spellingsOfOneValueAreOneCanonicalValueAndOneFingerprint() {
        Map<String, String> reference = canonical(Map.of());
        for (Map<String, String> same : List.of(Map.of("lr", "0.0005"), Map.of("lr", "5.0E-4"), Map.of("lr", "5e-4"),
                Map.of("lr", ".0005"), Map.of("lr", " 0.00050 "), Map.of("epochs", "010"), Map.of("epochs", "+10"),
                Map.of("flag", "FALSE"), Map.of("taus", "0.50, 1"), Map.of("sources", " a , b"))) {
            assertEquals(reference, canonical(same), same.toString());
            assertEquals(Fingerprint.of("t", reference, Map.of()), Fingerprint.of("t", canonical(same), Map.of()));
        }
        assertEquals(Map.of("lr", "5.0E-4", "epochs", "10", "flag", "false", "taus", "0.5,1.0", "sources", "a,b"),
                reference);
        assertNotEquals(reference, canonical(Map.of("lr", "4.0E-4")));
        assertNotEquals(Fingerprint.of("t", reference, Map.of()),
                Fingerprint.of("t", canonical(Map.of("lr", "4.0E-4")), Map.of()));
        assertEquals("0.0", canonical(Map.of("lr", "-0.0")).get("lr"));
    }

    @Test
    void aRespelledParameterIsMemoisedNotRetrained() throws Exception {
        Path numbers = Files.writeString(tmp.resolve("n.txt"), "1\n2\n");
        StageRunner runner = new StageRunner(new FileArtifactStore(), tmp.resolve("work"),
                new XcomWriter(tmp.resolve("no-xcom")));
        SumStage stage = new SumStage();
        for (Map<String, String> params : List.of(Map.of("fail-after-outputs", "0"),
                Map.of("fail-after-outputs", "0.0", "factor", "02"), Map.of("fail-after-outputs", "0E0"))) {
            runner.run(SumStage.DEFINITION, new StageConfig("r", tmp.resolve("root").toString(), null, null,
                    Map.of("numbers", numbers.toString()), params), false, stage::execute);
        }
        assertEquals(1, stage.executions.get());
    }

    @Test
    void helpStatesExactlyWhatRunIdsAccept() {
        CommandRun help = CommandRun.of(new SumStage(), "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().replaceAll("\\s+", " ").contains(RunIds.RULE), help.out());

        // every character the rule lists is accepted, and nothing else
        String listed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:+-";
        for (char c = 32; c < 127; c++) {
            String id = "a" + c;
            if (listed.indexOf(c) >= 0) {
                assertEquals(id, RunIds.require(id));
            } else {
                assertThrows(BadInputException.class, () -> RunIds.require(id), "'" + id + "'");
            }
        }
        for (char first : "._:+-".toCharArray()) {
            assertThrows(BadInputException.class, () -> RunIds.require(first + "a"), "first character " + first);
        }
        assertEquals(200, RunIds.require("a".repeat(200)).length());
        assertThrows(BadInputException.class, () -> RunIds.require("a".repeat(201)));
    }
}
