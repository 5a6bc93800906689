/** Plain-Java client of the model registry (java.net.http + Jackson), used by the evaluation stage. */
package dev.vlltr.registry.client;
