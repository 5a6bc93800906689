package dev.vlltr.registry.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/** A registered model; {@code etag} comes from the response header. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelInfo(String name, String description, Map<String, String> tags, Map<String, Integer> aliases,
                        Integer latestVersion, String etag) {
    ModelInfo withEtag(String e) {
        return new ModelInfo(name, description, tags, aliases, latestVersion, e);
    }
}
