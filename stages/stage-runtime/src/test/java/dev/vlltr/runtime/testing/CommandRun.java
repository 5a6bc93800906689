package dev.vlltr.runtime.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * A picocli command run in-process by a test: its exit code and what it printed to standard output and error.
 *
 * @param code the exit code
 * @param out  standard output
 * @param err  standard error
 */
public record CommandRun(int code, String out, String err) {

    /** Executes {@code command} with {@code args}, capturing both streams. */
    public static CommandRun of(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CommandRun(code, out.toString(), err.toString());
    }
}
