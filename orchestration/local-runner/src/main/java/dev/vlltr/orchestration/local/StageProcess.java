package dev.vlltr.orchestration.local;

import dev.vlltr.runtime.cli.MallocTunables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One stage as its own JVM ({@code java -jar <stage jar> <contract arguments>}), the local equivalent of a pod: the
 * same arguments, DJL kept offline, stdout and stderr to a log file whose new lines are offered to a progress display.
 */
public final class StageProcess {

    /** The environment every stage JVM gets on top of the runner's own (as the images bake in). */
    public static final Map<String, String> STAGE_ENV = Map.of(
            "DJL_OFFLINE", "true",
            "OPT_OUT_TRACKING", "true",
            "VLLTR_PLAIN_PROGRESS", "1");

    /**
     * Set unless the runner's environment already has its own: the stages' glibc malloc settings (see {@link
     * MallocTunables}; glibc reads them at process start, so the runner, not the stage, has to set them).
     */
    public static final Map<String, String> STAGE_ENV_DEFAULTS = Map.of(MallocTunables.ENV, MallocTunables.VALUE);

    private StageProcess() {}

    /**
     * A stage JVM's environment: the runner's own, then {@link #STAGE_ENV}, {@link #STAGE_ENV_DEFAULTS} where the
     * runner's has none, then the call's extra variables.
     */
    static Map<String, String> environment(Map<String, String> inherited, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(inherited);
        env.putAll(STAGE_ENV);
        STAGE_ENV_DEFAULTS.forEach(env::putIfAbsent);
        env.putAll(extra);
        return env;
    }

    /**
     * Runs the stage and waits for it.
     *
     * @param java      the java launcher
     * @param jvmOptions JVM options placed before {@code -jar}
     * @param jar       the stage's runnable jar
     * @param arguments the stage contract arguments
     * @param env       extra environment (credentials, registry URL, work dir)
     * @param log       the file receiving stdout and stderr (appended: a retried stage keeps its earlier attempts)
     * @param lines     receives every line this attempt adds to the log, about once a second (a progress display
     *                  keeps the last progress line; {@code --verbose} prints them all)
     * @return the exit code
     */
    public static int run(Path java, List<String> jvmOptions, Path jar, List<String> arguments, Map<String, String> env,
            Path log, Consumer<String> lines) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        Files.createDirectories(log.getParent());
        LogFollower follower = new LogFollower(log);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> stageEnv = environment(pb.environment(), env);
        pb.environment().clear();
        pb.environment().putAll(stageEnv);
        Process process = pb.start();
        Thread reaper = new Thread(process::destroy, "stop-" + jar.getFileName());
        Runtime.getRuntime().addShutdownHook(reaper);   // Ctrl-C on the runner stops the stage too
        try {
            while (!process.waitFor(1, TimeUnit.SECONDS)) {
                follower.newLines().forEach(lines);
            }
            follower.newLines().forEach(lines);
            follower.rest().ifPresent(lines);
            return process.exitValue();
        } finally {
            Runtime.getRuntime().removeShutdownHook(reaper);
        }
    }

    /** The last {@code n} lines of a log, for the error report of a failed stage. */
    public static List<String> tail(Path log, int n) {
        try {
            // lenient decoding: a stage killed mid-write may leave half a UTF-8 character
            List<String> lines = List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\\R"));
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of("(no log: " + e.getMessage() + ")");
        }
    }
}
