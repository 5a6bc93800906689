package dev.vlltr.registry.dto;

/** State of the copy of a version in MLflow's model registry. */
public record Mirror(String status, int attempts, String error, String mlflowVersion) {}
