package dev.vlltr.stage.evaluation;

/**
 * Whether and how the selected model is registered. The registry URL comes from {@code $VLLTR_REGISTRY_URL};
 * {@link RegistrySubmission} submits the {@link RegistrationCandidate} with the registry client. Without a URL,
 * {@code register=true} is logged as {@value #NOT_CONFIGURED}.
 *
 * @param requested the {@code register} parameter
 * @param url       the registry URL, or null when not configured
 * @param status    {@code not-requested}, {@code skipped: registry not configured}, {@code pending} before
 *                  submission, {@code registered: <model> version <n>} after
 */
public record Registration(boolean requested, String url, String status) {

    public static final String NOT_CONFIGURED = "registry not configured; registration skipped";

    public static Registration decide(boolean register, String registryUrl) {
        String url = registryUrl == null || registryUrl.isBlank() ? null : registryUrl.strip();
        if (!register) {
            return new Registration(false, url, "not-requested");
        }
        if (url == null) {
            return new Registration(true, null, "skipped: " + NOT_CONFIGURED);
        }
        return new Registration(true, url, "pending: to be submitted with the registry client");
    }
}
