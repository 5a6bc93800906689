package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A preset fills the parameters the user did not give; explicit values win; its values are validated too. */
class PresetParamsTest {

    private static final List<ParamSpec> SPECS = List.of(
            ParamSpec.integer("epochs", 10, "epochs").min(1),
            ParamSpec.decimal("lr", 5.0E-4, "lr").above(0),
            ParamSpec.integer("batch-size", 128, "batch").min(1),
            ParamSpec.string("device", "cpu", "device"));

    @Test
    void presetReplacesDefaultsButNotExplicitValues() {
        StageParams given = StageParams.validate("s", SPECS, Map.of("lr", "0.01"));
        assertTrue(given.isGiven("lr"));
        assertFalse(given.isGiven("epochs"));
        Map<String, String> preset = Map.of("epochs", "50", "lr", "5e-5", "batch-size", "2048", "backbone", "x");
        StageParams eff = given.withPreset(preset);
        assertEquals(50, eff.integer("epochs"), "not given: the preset's value");
        assertEquals(2048, eff.integer("batch-size"));
        assertEquals(0.01, eff.decimal("lr"), "given explicitly: the user's value wins");
        assertEquals("cpu", eff.string("device"), "neither given nor in the preset: the default");
        assertEquals(List.of("backbone"), given.undeclared(preset), "names the stage does not declare");
    }

    @Test
    void presetValuesAreValidatedLikeGivenOnes() {
        StageParams given = StageParams.validate("s", SPECS, Map.of());
        BadInputException e = assertThrows(BadInputException.class, () -> given.withPreset(Map.of("epochs", "0")));
        assertTrue(e.getMessage().contains("'epochs'"), e.getMessage());
    }
}
