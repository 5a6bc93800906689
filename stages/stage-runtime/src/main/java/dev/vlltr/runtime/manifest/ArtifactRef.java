package dev.vlltr.runtime.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;

/**
 * An input or output of a stage as recorded in its manifest.
 *
 * @param uri           where it is
 * @param sha256        lower-case hex SHA-256 of the bytes (for a folder input: of its sorted listing of names and
 *                      digests; for a manifest input: of the manifest file)
 * @param size          bytes (outputs; null for inputs)
 * @param outputsSha256 for a manifest input only: SHA-256 over the upstream outputs' names and digests, each verified
 *                      against the store when the input was resolved ({@link Manifests#outputsDigest}). The
 *                      lineage checks use it, so an upstream re-run that reproduced the same bytes (a new manifest,
 *                      other timestamps) counts as the same upstream. Null elsewhere and in manifests written before
 *                      it existed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactRef(URI uri, String sha256, Long size, String outputsSha256) {

    @JsonCreator
    public ArtifactRef(@JsonProperty("uri") URI uri, @JsonProperty("sha256") String sha256,
            @JsonProperty("size") Long size, @JsonProperty("outputsSha256") String outputsSha256) {
        this.uri = uri;
        this.sha256 = sha256;
        this.size = size;
        this.outputsSha256 = outputsSha256;
    }

    public ArtifactRef(URI uri, String sha256, Long size) {
        this(uri, sha256, size, null);
    }
}
