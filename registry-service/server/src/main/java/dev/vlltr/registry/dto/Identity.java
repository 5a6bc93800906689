package dev.vlltr.registry.dto;

/** The calling API key: its name and role ({@code GET /api/v1/whoami}). */
public record Identity(String name, String role) {}
