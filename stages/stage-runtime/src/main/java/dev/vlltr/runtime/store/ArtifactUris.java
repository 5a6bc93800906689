package dev.vlltr.runtime.store;

import dev.vlltr.runtime.cli.BadInputException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Parsing and joining of artifact URIs ({@code file:///abs/path}, {@code s3://bucket/key}). */
public final class ArtifactUris {

    private ArtifactUris() {}

    /**
     * Parses a user-given location: a URI with a scheme, or a plain local path (made absolute).
     *
     * @param what names the option or field for the error message
     */
    public static URI parse(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new BadInputException(what + ": expected a URI (file:///..., s3://bucket/...) or a path, got nothing");
        }
        String v = value.strip();
        if (v.startsWith("s3://") || v.startsWith("file:")) {
            try {
                URI uri = new URI(v);
                if ("s3".equals(uri.getScheme()) && (uri.getHost() == null || uri.getHost().isBlank())) {
                    throw new BadInputException(what + ": '" + value + "' has no bucket; expected s3://bucket/key");
                }
                return "file".equals(uri.getScheme()) ? Path.of(uri).toUri() : uri;
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw new BadInputException(what + ": '" + value + "' is not a valid URI: " + e.getMessage(), e);
            }
        }
        if (v.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            throw new BadInputException(what + ": unsupported scheme in '" + value + "'; expected file:// or s3://");
        }
        return Path.of(v).toAbsolutePath().normalize().toUri();
    }

    /** Appends a relative path ({@code a/b.json}) to a base URI, keeping exactly one slash between them. */
    public static URI resolve(URI base, String relative) {
        String b = base.toString();
        String r = relative.startsWith("/") ? relative.substring(1) : relative;
        return URI.create(b.endsWith("/") ? b + r : b + "/" + r);
    }

    /** The URI as a directory prefix (ending with a slash). */
    public static URI asPrefix(URI uri) {
        String s = uri.toString();
        return s.endsWith("/") ? uri : URI.create(s + "/");
    }

    /** The path of {@code child} relative to the directory {@code prefix}, or null if it is not under it. */
    public static String relativize(URI prefix, URI child) {
        String p = asPrefix(prefix).toString();
        String c = child.toString();
        return c.startsWith(p) ? c.substring(p.length()) : null;
    }

    /** The last path segment. */
    public static String fileName(URI uri) {
        String s = uri.getPath();
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.substring(s.lastIndexOf('/') + 1);
    }
}
