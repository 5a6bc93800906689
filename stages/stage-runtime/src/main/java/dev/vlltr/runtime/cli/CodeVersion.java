package dev.vlltr.runtime.cli;

/** The version recorded in manifests: {@code $VLLTR_CODE_VERSION} (set by images to the git commit), else the jar's. */
public final class CodeVersion {

    private CodeVersion() {}

    public static String get() {
        String env = System.getenv("VLLTR_CODE_VERSION");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        String impl = CodeVersion.class.getPackage().getImplementationVersion();
        return impl != null ? impl : "dev";
    }
}
