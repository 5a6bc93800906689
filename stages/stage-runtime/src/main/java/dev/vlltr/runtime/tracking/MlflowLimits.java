package dev.vlltr.runtime.tracking;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * MLflow's server-side limits ({@code mlflow/utils/validation.py}), checked on the client so that a bad key fails at
 * the call that logged it with a message naming it, and the batch planner that splits buffered data into {@code
 * log-batch} requests the server accepts.
 */
public final class MlflowLimits {
    /** Most metrics in one {@code log-batch}. */
    public static final int MAX_METRICS_PER_BATCH = 1000;
    /** Most params and tags together in one {@code log-batch}. */
    public static final int MAX_PARAMS_TAGS_PER_BATCH = 100;
    /** Most entities (metrics + params + tags) in one {@code log-batch}. */
    public static final int MAX_ENTITIES_PER_BATCH = 1000;
    /** Request size we stay under; the server refuses bodies over 1 MB. */
    public static final int MAX_BATCH_BYTES = 900_000;
    /** Longest metric, param or tag key. */
    public static final int MAX_KEY_LENGTH = 250;
    /** Longest param value. */
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;
    /** Longest tag value. */
    public static final int MAX_TAG_VALUE_LENGTH = 8000;

    private static final Pattern NAME = Pattern.compile("^[/\\w.\\- ]*$", Pattern.UNICODE_CHARACTER_CLASS);
    /** JSON framing per entity ({"key":"","value":"","timestamp":..,"step":..}) over-estimated. */
    private static final int ENTITY_OVERHEAD_BYTES = 96;

    private MlflowLimits() {
    }

    /**
     * Checks a metric/param/tag key: 1..250 characters from {@code [/\w.\- ]}, usable as a relative path (the file
     * store turns {@code /} into sub-directories), so no empty, {@code .} or {@code ..} segments.
     *
     * @param kind "metric", "param" or "tag", for the message
     */
    public static void checkKey(String kind, String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(kind + " key must not be empty");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(kind + " key '" + key.substring(0, 40) + "...' has " + key.length()
                    + " characters; MLflow allows at most " + MAX_KEY_LENGTH);
        }
        if (!NAME.matcher(key).matches()) {
            throw new IllegalArgumentException(kind + " key '" + key + "' has characters MLflow refuses; expected"
                    + " only letters, digits, '_', '-', '.', ' ' and '/'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(kind + " key '" + key + "' is not a normalized relative path"
                        + " (no leading/trailing '/', '//', '.' or '..' segments)");
            }
        }
    }

    /** Checks a param key and value. */
    public static void checkParam(String key, String value) {
        checkKey("param", key);
        checkValue("param", key, value, MAX_PARAM_VALUE_LENGTH);
    }

    /** Checks a tag key and value. */
    public static void checkTag(String key, String value) {
        checkKey("tag", key);
        checkValue("tag", key, value, MAX_TAG_VALUE_LENGTH);
    }

    private static void checkValue(String kind, String key, String value, int max) {
        if (value == null) {
            throw new IllegalArgumentException(kind + " '" + key + "' has a null value");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(kind + " '" + key + "' value has " + value.length()
                    + " characters; MLflow allows at most " + max);
        }
    }

    /** One {@code log-batch} request's worth of data. */
    public record Batch(List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {
        /** Entities in this batch. */
        public int size() {
            return metrics.size() + params.size() + tags.size();
        }
    }

    /**
     * Splits data into batches within every limit above: params go first, then tags, into the 100 param+tag
     * slots of each batch, and metrics fill the rest, in the order given.
     */
    public static List<Batch> plan(List<MetricPoint> metrics, Map<String, String> params, Map<String, String> tags) {
        List<Batch> batches = new ArrayList<>();
        List<Map.Entry<String, String>> paramList = new ArrayList<>(params.entrySet());
        List<Map.Entry<String, String>> tagList = new ArrayList<>(tags.entrySet());
        int nextParam = 0;
        int nextTag = 0;
        int nextMetric = 0;
        while (nextParam < paramList.size() || nextTag < tagList.size() || nextMetric < metrics.size()) {
            Map<String, String> bParams = new LinkedHashMap<>();
            Map<String, String> bTags = new LinkedHashMap<>();
            List<MetricPoint> bMetrics = new ArrayList<>();
            long bytes = 0;
            while (bParams.size() + bTags.size() < MAX_PARAMS_TAGS_PER_BATCH
                    && (nextParam < paramList.size() || nextTag < tagList.size())) {
                boolean isParam = nextParam < paramList.size();
                Map.Entry<String, String> e = isParam ? paramList.get(nextParam) : tagList.get(nextTag);
                long size = utf8(e.getKey()) + utf8(e.getValue()) + ENTITY_OVERHEAD_BYTES;
                if (bytes + size > MAX_BATCH_BYTES && bParams.size() + bTags.size() > 0) {
                    break;
                }
                (isParam ? bParams : bTags).put(e.getKey(), e.getValue());
                bytes += size;
                if (isParam) {
                    nextParam++;
                } else {
                    nextTag++;
                }
            }
            int entities = bParams.size() + bTags.size();
            while (nextMetric < metrics.size() && bMetrics.size() < MAX_METRICS_PER_BATCH
                    && entities + bMetrics.size() < MAX_ENTITIES_PER_BATCH) {
                MetricPoint m = metrics.get(nextMetric);
                long size = utf8(m.key()) + ENTITY_OVERHEAD_BYTES;
                if (bytes + size > MAX_BATCH_BYTES && !bMetrics.isEmpty()) {
                    break;
                }
                bMetrics.add(m);
                bytes += size;
                nextMetric++;
            }
            batches.add(new Batch(Collections.unmodifiableList(bMetrics), Collections.unmodifiableMap(bParams),
                    Collections.unmodifiableMap(bTags)));
        }
        return batches;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
