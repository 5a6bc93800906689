package dev.vlltr.core.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where readers report bad input. Fail-fast (loading for training: the first problem throws a
 * {@link DatasetSpecException}) or collecting ({@code dataset check}: every line is validated and every problem
 * reported, up to a limit so that a list full of errors does not flood the terminal).
 */
public final class Problems {

    /**
     * One problem.
     *
     * @param file    the file, as {@link DatasetFiles#describe} names it
     * @param line    1-based line, or 0 when the place is a JSON path or the file as a whole
     * @param field   what is wrong ({@code label}, {@code path}, {@code annotations[3].category_id})
     * @param message what was found and what was expected
     */
    public record Problem(String file, int line, String field, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? " line " + line : "") + ": field '" + field + "' " + message;
        }
    }

    private final boolean failFast;
    private final int limit;
    private final List<Problem> problems = new ArrayList<>();
    private int count;

    private Problems(boolean failFast, int limit) {
        this.failFast = failFast;
        this.limit = limit;
    }

    public static Problems failFast() {
        return new Problems(true, 1);
    }

    /** @param limit problems kept (all are counted) */
    public static Problems collecting(int limit) {
        return new Problems(false, limit);
    }

    public synchronized void add(String file, int line, String field, String message) {
        Problem p = new Problem(file, line, field, message);
        if (failFast) {
            throw new DatasetSpecException(p.toString());
        }
        count++;
        if (problems.size() < limit) {
            problems.add(p);
        }
    }

    public synchronized List<Problem> kept() {
        return Collections.unmodifiableList(new ArrayList<>(problems));
    }

    /** @return every problem reported, kept or not */
    public synchronized int count() {
        return count;
    }

    public synchronized boolean isEmpty() {
        return count == 0;
    }
}
