package dev.vlltr.orchestration.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.cli.MallocTunables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageProcessEnvironmentTest {

    @Test
    void stagesGetTheMallocSettingsUnlessTheRunnerHasItsOwn() {
        Map<String, String> env = StageProcess.environment(Map.of("PATH", "/usr/bin", "DJL_OFFLINE", "false"), Map.of());
        assertEquals(MallocTunables.VALUE, env.get("GLIBC_TUNABLES"));
        assertEquals("true", env.get("DJL_OFFLINE"), "the stage contract's settings win over the runner's");
        assertEquals("/usr/bin", env.get("PATH"));

        env = StageProcess.environment(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2"), Map.of());
        assertEquals("glibc.malloc.arena_max=2", env.get("GLIBC_TUNABLES"), "a user's own tunables are kept");
        env = StageProcess.environment(Map.of(), Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=4"));
        assertEquals("glibc.malloc.arena_max=4", env.get("GLIBC_TUNABLES"), "the call's extra variables win");
    }

    @Test
    void theStageProcessSeesThem(@TempDir Path dir) throws Exception {
        // a stand-in for java that prints what a stage JVM would read at start-up
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"GLIBC_TUNABLES=$GLIBC_TUNABLES DJL_OFFLINE=$DJL_OFFLINE\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        Path log = dir.resolve("logs/stage.log");
        List<String> lines = new ArrayList<>();
        int code = StageProcess.run(java, List.of(), dir.resolve("stage.jar"), List.of(), Map.of(), log, lines::add);
        assertEquals(0, code);
        String out = Files.readString(log);
        assertTrue(out.contains("GLIBC_TUNABLES=" + System.getenv().getOrDefault("GLIBC_TUNABLES", MallocTunables.VALUE)
                + " DJL_OFFLINE=true"), out);
    }
}
