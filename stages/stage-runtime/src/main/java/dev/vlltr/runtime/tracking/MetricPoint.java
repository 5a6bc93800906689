package dev.vlltr.runtime.tracking;

/**
 * One logged metric value.
 *
 * @param key metric name (MLflow naming rules, see {@link MlflowLimits})
 * @param value the value; NaN and infinities are stored as MLflow stores them
 * @param timestamp wall-clock milliseconds since the epoch
 * @param step the training step or epoch the value belongs to
 */
public record MetricPoint(String key, double value, long timestamp, long step) {
}
