package dev.vlltr.dataset;

import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.ExitCodes;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/** Maps a command's outcome to the stage contract's exit codes: bad input 2 (message on stderr), failure 1. */
final class Exits {

    private Exits() {
    }

    static int run(PrintStream err, Callable<Integer> body) {
        try {
            return body.call();
        } catch (BadInputException | IllegalArgumentException e) {
            // DatasetSpecException is an IllegalArgumentException: bad spec, list, class file or image
            err.println("dataset: bad input: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("dataset: interrupted");
            return ExitCodes.FAILURE;
        } catch (Exception e) {
            err.println("dataset: failed: " + e);
            return ExitCodes.FAILURE;
        }
    }
}
