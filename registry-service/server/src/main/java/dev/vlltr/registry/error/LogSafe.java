package dev.vlltr.registry.error;

/**
 * Makes text that may carry user-supplied values safe for a line-oriented log: control characters (CR and LF
 * above all, which would let a request forge log lines), DEL and the Unicode line and paragraph separators are
 * written as {@code \\uXXXX}, and the text is cut at {@value #MAX} characters.
 */
public final class LogSafe {
    static final int MAX = 2000;

    private LogSafe() {}

    public static String escape(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX) + 16);
        for (int i = 0; i < s.length() && i < MAX; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (s.length() > MAX) {
            out.append("...(").append(s.length() - MAX).append(" more characters)");
        }
        return out.toString();
    }

    /**
     * A copy of {@code e} (and its causes) whose messages are escaped and whose stack traces are kept, for logging an
     * unexpected error with its trace but without letting its message, which may quote input, break the line.
     */
    public static Throwable escaped(Throwable e) {
        Throwable copy = new EscapedThrowable(e.getClass().getName() + ": " + escape(e.getMessage()),
                e.getCause() == null || e.getCause() == e ? null : escaped(e.getCause()));
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** Carries an escaped message in place of the original exception (its class name leads the message). */
    static final class EscapedThrowable extends Throwable {
        EscapedThrowable(String message, Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
