package dev.vlltr.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.train.EpochRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A training stage killed with SIGKILL right after a mid-epoch checkpoint, then run again to completion, both in child
 * JVMs ({@link ChildJvm}): what issue 12's "a run killed mid-epoch resumes and ends with the same metrics" needs
 * before a test compares the outputs with an uninterrupted run's.
 */
public final class MidEpochKill {

    private MidEpochKill() {}

    /**
     * @param logs     folder for the two children's logs
     * @param command  the stage's picocli command class
     * @param stageDir the stage's folder under the artifact root ({@code <root>/<run-id>/<stage>})
     * @param saves    the kill comes right after this many mid-epoch checkpoints (the runner's
     *                 {@link EpochRunner#HOLD_AFTER_MID_EPOCH_SAVES} hook holds the child there)
     * @param timeout  bound of each child
     * @param args     the stage's command line (with {@code checkpoint-every-batches})
     * @return the log of the run that resumed and completed
     */
    public static String killAndResume(Path logs, Class<?> command, Path stageDir, int saves, Duration timeout,
            String... args) throws IOException, InterruptedException {
        try (ChildJvm killed = ChildJvm.command(logs.resolve("killed.log"), command,
                List.of("-D" + EpochRunner.HOLD_AFTER_MID_EPOCH_SAVES + "=" + saves), args)) {
            killed.awaitLog(EpochRunner.HOLDING, timeout);
            assertEquals(137, killed.kill(), "killed by SIGKILL");
        }
        assertFalse(Files.exists(stageDir.resolve("manifest.json")), "the killed run published no manifest");
        try (var s = Files.walk(stageDir.resolve("checkpoints"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().equals("checkpoint.json")),
                    "a checkpoint stands after the kill");
        }
        try (ChildJvm rerun = ChildJvm.command(logs.resolve("resumed.log"), command, List.of(), args)) {
            int code = rerun.waitFor(timeout);
            String log = rerun.log();
            assertEquals(0, code, log);
            assertTrue(Files.exists(stageDir.resolve("manifest.json")), log);
            return log;
        }
    }
}
