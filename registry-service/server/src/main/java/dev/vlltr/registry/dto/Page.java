package dev.vlltr.registry.dto;

import java.util.List;

/** One page of a list; {@code nextPageToken} is null on the last page. */
public record Page<T>(List<T> items, String nextPageToken) {}
