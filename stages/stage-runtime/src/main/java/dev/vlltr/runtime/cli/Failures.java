package dev.vlltr.runtime.cli;

import dev.vlltr.runtime.store.ArtifactNotFoundException;
import dev.vlltr.runtime.store.ArtifactStoreUnavailableException;
import dev.vlltr.runtime.store.ChecksumMismatchException;
import dev.vlltr.runtime.store.WriteVerificationException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The exit-code contract applied to whatever a stage threw: the exit code and the one line the user sees.
 *
 * <ul>
 *   <li>2: bad input or configuration, which retrying cannot fix: {@link BadInputException} (unknown parameters,
 *       malformed files, refused credentials, an unwritable root, corrupt or missing upstream outputs, lineage
 *       conflicts), an artifact that is missing or fails its SHA-256, a local file that is missing or unreadable.</li>
 *   <li>1: everything else. A store that stayed unreachable after its retries gets a one-line message naming the
 *       endpoint and object ({@link ArtifactStoreUnavailableException}), as does a write whose read-back disagrees
 *       ({@link WriteVerificationException}); a real bug keeps its stack trace in the log.</li>
 * </ul>
 * The cause chain is searched, so a stage that wraps one of these (in an {@code UncheckedIOException}, say) keeps the
 * right code.
 *
 * @param exitCode   the process exit code
 * @param message    one line: what, where (URI, file, field, endpoint), why
 * @param unexpected true when it is a bug worth a stack trace at error level
 */
record Failures(int exitCode, String message, boolean unexpected) {

    static Failures of(String stage, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // an IllegalArgumentException is the caller's fault where it is thrown at the top, a bug when it is wrapped
            if (t instanceof BadInputException || (t == failure && t instanceof IllegalArgumentException)) {
                return bad(t.getMessage());
            }
            if (t instanceof WriteVerificationException) {
                return new Failures(ExitCodes.FAILURE, "stage " + stage + ": writing failed verification: "
                        + oneLine(t.getMessage()), false);
            }
            if (t instanceof ChecksumMismatchException) {
                return bad("corrupt artifact: " + t.getMessage());
            }
            if (t instanceof ArtifactNotFoundException) {
                return bad(t.getMessage());
            }
            if (t instanceof AccessDeniedException e) {
                return bad("permission denied: " + e.getFile());
            }
            if (t instanceof NoSuchFileException e) {
                return bad("no such file: " + e.getFile());
            }
            if (t instanceof NotDirectoryException e) {
                return bad("not a directory: " + e.getFile());
            }
            if (t instanceof FileSystemException e && e.getReason() != null
                    && e.getReason().contains("Read-only file system")) {
                return bad("read-only file system: " + e.getFile());
            }
            if (t instanceof ArtifactStoreUnavailableException) {
                return new Failures(ExitCodes.FAILURE, "stage " + stage + ": " + oneLine(t.getMessage()), false);
            }
        }
        return new Failures(ExitCodes.FAILURE, "stage " + stage + " failed: " + oneLine(failure.toString()), true);
    }

    private static Failures bad(String message) {
        return new Failures(ExitCodes.BAD_INPUT, oneLine(message), false);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
