package dev.vlltr.runtime.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version recorded in manifests: {@code $VLLTR_CODE_VERSION} (images set it to the git commit), else the
 * project version Maven recorded in the stage-runtime jar, else {@code dev} (classes run from an IDE).
 */
public final class CodeVersion {

    private static final String POM_PROPERTIES = "/META-INF/maven/dev.vlltr/stage-runtime/pom.properties";

    private CodeVersion() {}

    public static String get() {
        String env = System.getenv("VLLTR_CODE_VERSION");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        try (InputStream in = CodeVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "dev";
    }
}
