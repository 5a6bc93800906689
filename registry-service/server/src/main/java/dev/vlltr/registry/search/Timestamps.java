package dev.vlltr.registry.search;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Timestamps given by clients (filters, audit {@code since}, page tokens). Java reads years up to ±999,999,999,
 * PostgreSQL's timestamptz stops at 4713 BC and 294276 AD; a value in between would reach the database and fail
 * there. Accepted: ISO-8601 with an offset, years 1 to 9999.
 */
public final class Timestamps {
    static final OffsetDateTime MIN = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    static final OffsetDateTime MAX = OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999, ZoneOffset.UTC);
    public static final String EXPECTED = "an ISO-8601 timestamp with offset, years 1 to 9999, like 2026-01-31T12:00:00Z";

    private Timestamps() {}

    /** Parses {@code text}; a {@link DateTimeException} when malformed or out of range. */
    public static OffsetDateTime parse(String text) {
        OffsetDateTime t = OffsetDateTime.parse(text);
        if (t.isBefore(MIN) || t.isAfter(MAX)) {
            throw new DateTimeException("out of range: " + text);
        }
        return t;
    }
}
