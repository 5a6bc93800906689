/** Mirror of registered versions into MLflow's model registry (outbox with retries and backoff). */
package dev.vlltr.registry.mirror;
