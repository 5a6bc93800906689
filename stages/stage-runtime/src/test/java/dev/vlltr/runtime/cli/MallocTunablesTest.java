package dev.vlltr.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MallocTunablesTest {

    @Test
    void linuxWithoutAllThreeSettingsGetsAdviceNamingTheVariableAndValue() {
        for (String tunables : new String[] {null, "", "glibc.malloc.trim_threshold=1073741824",
            "glibc.malloc.mmap_threshold=33554432", "glibc.malloc.arena_max=2",
            // the first version of the settings, without the top pad: per-thread heaps are still unmapped
            "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824"}) {
            Optional<String> advice = MallocTunables.advice("Linux", tunables);
            assertTrue(advice.isPresent(), String.valueOf(tunables));
            assertTrue(advice.get().contains("GLIBC_TUNABLES=" + MallocTunables.VALUE), advice.get());
            assertTrue(advice.get().contains(tunables == null ? "GLIBC_TUNABLES=unset" : "GLIBC_TUNABLES=" + tunables),
                    advice.get());
        }
    }

    @Test
    void noAdviceWhenSetOrOffLinux() {
        assertEquals(Optional.empty(), MallocTunables.advice("Linux", MallocTunables.VALUE));
        assertEquals(Optional.empty(), MallocTunables.advice("Linux",
                "glibc.malloc.arena_max=2:glibc.malloc.trim_threshold=1:glibc.malloc.top_pad=3"
                        + ":glibc.malloc.mmap_threshold=2"));
        assertEquals(Optional.empty(), MallocTunables.advice("Mac OS X", null));
        assertEquals(Optional.empty(), MallocTunables.advice(null, null));
    }
}
