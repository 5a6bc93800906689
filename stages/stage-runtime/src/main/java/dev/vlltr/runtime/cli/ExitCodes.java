package dev.vlltr.runtime.cli;

/** Process exit codes of every stage app (the stage contract): they become the pod phase and the Airflow task state. */
public final class ExitCodes {

    public static final int OK = 0;
    /** Anything unexpected: a bug, a lost server after retries, an out-of-memory. */
    public static final int FAILURE = 1;
    /** Bad input or configuration; the message names the file or field. Retrying does not help. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {}
}
