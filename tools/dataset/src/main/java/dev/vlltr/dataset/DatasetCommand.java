package dev.vlltr.dataset;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/**
 * {@code dataset}: tools for bringing a dataset to the stack. {@code dataset check <spec>} validates a spec, its lists
 * and every image and prints the long-tail shape; {@code dataset upload <dir> s3://...} copies a dataset folder to the
 * object store with checksums, resumably. Exit codes: 0 ok, 2 bad input (the message names file, line and field),
 * 1 anything else.
 */
@TopCommand
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Check a dataset spec and its images; upload a dataset folder to the object store.",
        subcommands = {CheckCommand.class, UploadCommand.class})
public class DatasetCommand implements java.util.concurrent.Callable<Integer> {

    /** Without a subcommand: usage on stderr, exit 2 (bad invocation). */
    @Override
    public Integer call() {
        System.err.println("dataset: give a subcommand: check <spec> | upload <dir> <s3://bucket/prefix> (--help)");
        return dev.vlltr.runtime.cli.ExitCodes.BAD_INPUT;
    }
}
