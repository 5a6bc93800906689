package dev.vlltr.runtime.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started by a test on the test's own class path, its standard output and error in one log file, so that
 * the test can kill it with SIGKILL ({@link #kill()}: no {@code finally}, no shutdown hook runs) at a point it waits
 * for with a bounded {@link #await}. The child gets the test JVM's {@code ai.djl.*}, {@code vlltr.*} and logging
 * system properties (same engine threads, hence the same numbers) and its environment. A command started with
 * {@link #command} logs INFO and above to its log, as the stage app does.
 *
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.command(log, CvlpCommand.class, List.of(), args)) {
 *     child.await("the checkpoint", Duration.ofSeconds(60), () -> Files.exists(index));
 *     child.kill();
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {

    /** What a test waits for; may throw while the condition cannot be read yet. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws IOException;
    }

    private static final List<String> INHERITED_PREFIXES = List.of("ai.djl.", "vlltr.", "java.util.logging.manager");

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with {@code args}.
     *
     * @param log        the child's standard output and error
     * @param jvmOptions extra JVM options (e.g. {@code -Dname=value}), after the inherited properties
     */
    public static ChildJvm start(Path log, String mainClass, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1"));
        System.getProperties().stringPropertyNames().stream().sorted()
                .filter(k -> INHERITED_PREFIXES.stream().anyMatch(k::startsWith))
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        Files.createDirectories(log.toAbsolutePath().getParent());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildJvm(p, log);
    }

    /** Starts the picocli command {@code command} (a public no-argument constructor) with {@code args}. */
    public static ChildJvm command(Path log, Class<?> command, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> all = new ArrayList<>(List.of(command.getName()));
        all.addAll(List.of(args));
        return start(log, CommandMain.class.getName(), jvmOptions, all.toArray(String[]::new));
    }

    /**
     * Waits until {@code condition} holds, polling every 20 ms.
     *
     * @throws AssertionError with the child's log when it exits first or {@code timeout} passes (the child is then
     *                        killed)
     */
    public void await(String what, Duration timeout, Condition condition) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(condition)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                boolean exited = !process.isAlive();
                if (!exited) {
                    threadDump();
                }
                process.destroyForcibly().waitFor();
                throw new AssertionError("the child JVM " + (exited ? "exited (" + process.exitValue() + ")"
                        : "timed out after " + timeout.toSeconds() + " s") + " before " + what + ":\n" + log());
            }
            Thread.sleep(20);
        }
    }

    /** Waits until the child's log contains {@code text}. */
    public void awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        await("its log shows '" + text + "'", timeout, () -> log().contains(text));
    }

    /** SIGQUIT: the JVM prints its threads to the log, so that a timeout shows where the child stood. */
    private void threadDump() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        Thread.sleep(1000);
    }

    private static boolean holds(Condition condition) {
        try {
            return condition.holds();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Kills the child with SIGKILL ({@link Process#destroyForcibly()} on Linux) and waits for it.
     *
     * @return its exit code, 137 when the signal killed it
     */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /**
     * Waits (bounded) for the child to end by itself.
     *
     * @return its exit code
     * @throws AssertionError with the child's log when it is still running after {@code timeout} (it is then killed)
     */
    public int waitFor(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            threadDump();
            process.destroyForcibly().waitFor();
            throw new AssertionError("the child JVM ran past " + timeout.toSeconds() + " s:\n" + log());
        }
        return process.exitValue();
    }

    /** @return the child's output so far */
    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Kills the child if it still runs (a failed test leaves no process behind). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The child's main for {@link #command}: {@code <command class> <args...>}, exit code the command's. */
    public static final class CommandMain {
        private CommandMain() {}

        public static void main(String[] args) throws Exception {
            // outside Quarkus nothing configures a log handler (Quarkus's start-up one only buffers): one to stderr
            java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
            java.util.logging.ConsoleHandler console = new java.util.logging.ConsoleHandler();
            console.setLevel(java.util.logging.Level.INFO);
            console.setFormatter(new java.util.logging.Formatter() {
                @Override
                public String format(java.util.logging.LogRecord r) {
                    return String.format("%tT %s [%s] %s%n", r.getMillis(), r.getLevel(), r.getLoggerName(),
                            formatMessage(r));
                }
            });
            root.addHandler(console);
            root.setLevel(java.util.logging.Level.INFO);
            Object command = Class.forName(args[0]).getDeclaredConstructor().newInstance();
            String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
            System.exit(new picocli.CommandLine(command).execute(rest));
        }
    }
}
