package dev.vlltr.runtime.cli;

import java.util.regex.Pattern;

/**
 * What a run id may be. The id becomes a folder name and an S3 key segment, so it is restricted to characters that
 * are safe in both; {@link #RULE} is the one sentence that {@code --help} and the error message print, so the two
 * cannot drift from {@link #PATTERN} again.
 */
public final class RunIds {

    /** 1-200 characters; the first a letter or digit (no hidden files, no options), then the listed punctuation. */
    public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}");

    /** The rule in words (a compile-time constant: picocli's option description uses it). */
    public static final String RULE = "1-200 characters from A-Z, a-z, 0-9, '.', '_', ':', '+' and '-', the first a"
            + " letter or digit";

    private RunIds() {}

    /** The id, or a {@link BadInputException} naming the option, the rule and the value. */
    public static String require(String runId) {
        if (runId == null || !PATTERN.matcher(runId).matches()) {
            throw new BadInputException("--run-id: expected " + RULE + ", got "
                    + (runId == null ? "nothing" : "'" + runId + "'"));
        }
        return runId;
    }
}
