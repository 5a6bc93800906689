package dev.vlltr.runtime.tracking;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Picks the {@link Tracker} for a tracking URI:
 * <ul>
 *   <li>{@code http://...}, {@code https://...} → {@link MlflowTracker} (credentials from {@code
 *       MLFLOW_TRACKING_USERNAME}/{@code _PASSWORD}, {@code MLFLOW_TRACKING_TOKEN}, {@code
 *       MLFLOW_TRACKING_INSECURE_TLS});</li>
 *   <li>{@code file:///abs/dir} or a plain path → {@link LocalMlflowStore} at that directory;</li>
 *   <li>{@code none} → {@link DisabledTracker}.</li>
 * </ul>
 */
public final class TrackerFactory {
    /** Environment variable read first by {@link #fromEnvironment()}. */
    public static final String ENV_URI = "VLLTR_TRACKING_URI";
    /** MLflow's own variable, read second. */
    public static final String ENV_MLFLOW_URI = "MLFLOW_TRACKING_URI";

    private TrackerFactory() {
    }

    /** The tracker for {@code uri} (see the class comment). */
    public static Tracker forUri(String uri) {
        return forUri(uri, System.getenv());
    }

    static Tracker forUri(String uri, Map<String, String> env) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("tracking URI is empty; expected http(s)://host[:port], file:///dir,"
                    + " a directory path, or 'none'");
        }
        String u = uri.trim();
        if (u.equalsIgnoreCase("none")) {
            return new DisabledTracker();
        }
        if (u.startsWith("http://") || u.startsWith("https://")) {
            return MlflowTracker.builder().setTrackingUri(u).optFromEnvironment(env).build();
        }
        if (u.equals("databricks") || u.equals("databricks-uc")) {
            throw new IllegalArgumentException("tracking URI '" + uri + "' names Databricks, which is not supported;"
                    + " expected http(s)://host[:port], file:///dir, a directory path, or 'none'");
        }
        if (u.startsWith("file:")) {
            return LocalMlflowStore.open(filePath(u));
        }
        int colon = u.indexOf(':');
        boolean windowsDrive = colon == 1 && Character.isLetter(u.charAt(0));
        if (colon > 0 && !windowsDrive && u.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw new IllegalArgumentException("tracking URI '" + uri + "' has unsupported scheme '"
                    + u.substring(0, colon) + "'; expected http(s)://host[:port], file:///dir, a directory path, or"
                    + " 'none'");
        }
        return LocalMlflowStore.open(Paths.get(u));
    }

    /**
     * The tracker named by {@code VLLTR_TRACKING_URI}, else {@code MLFLOW_TRACKING_URI}, else a {@link
     * DisabledTracker} (which logs that tracking is off).
     */
    public static Tracker fromEnvironment() {
        Map<String, String> env = System.getenv();
        String uri = env.getOrDefault(ENV_URI, env.get(ENV_MLFLOW_URI));
        return uri == null || uri.isBlank() ? new DisabledTracker() : forUri(uri, env);
    }

    private static Path filePath(String uri) {
        try {
            URI parsed = URI.create(uri);
            if (parsed.getAuthority() != null && !parsed.getAuthority().isEmpty()
                    && !parsed.getAuthority().equals("localhost")) {
                throw new IllegalArgumentException("tracking URI '" + uri + "' names host '" + parsed.getAuthority()
                        + "'; a file: tracking URI must be local (file:///abs/dir)");
            }
            if (parsed.getPath() == null || parsed.getPath().isEmpty()) {
                throw new IllegalArgumentException("tracking URI '" + uri + "' has no path; expected file:///abs/dir");
            }
            return Paths.get(parsed.getPath());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("tracking URI")) {
                throw e;
            }
            throw new IllegalArgumentException("tracking URI '" + uri + "' is not a valid file: URI (" + e.getMessage()
                    + "); expected file:///abs/dir", e);
        }
    }
}
