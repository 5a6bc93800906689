package dev.vlltr.registry.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** One page of versions; {@code nextPageToken} is null on the last page. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionPage(List<VersionInfo> items, String nextPageToken) {}
