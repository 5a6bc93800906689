package dev.vlltr.registry.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Makes sure an admin key exists and says where it is (never the key itself):
 * <ul>
 *   <li>{@code vlltr.registry.bootstrap-api-key} (env {@code VLLTR_REGISTRY_BOOTSTRAP_API_KEY}, e.g. from a k8s
 *       secret or the local runner) becomes, or replaces, the admin key named {@code bootstrap-admin};</li>
 *   <li>otherwise, when the database has no active key, a new random key is written to
 *       {@code vlltr.registry.admin-key-file} (env {@code VLLTR_REGISTRY_ADMIN_KEY_FILE}, default
 *       {@code ~/.vlltr/registry-admin.key}, mode 600).</li>
 * </ul>
 */
@ApplicationScoped
public class BootstrapAdminKey {
    private static final Logger LOG = Logger.getLogger(BootstrapAdminKey.class);
    /** Shorter configured keys are refused: keys are stored as unsalted SHA-256, which needs high entropy. */
    static final int MIN_CONFIGURED_LENGTH = 16;

    @Inject
    ApiKeyStore keys;

    @ConfigProperty(name = "vlltr.registry.bootstrap-api-key")
    Optional<String> configuredKey;

    @ConfigProperty(name = "vlltr.registry.admin-key-file")
    Optional<String> keyFile;

    void onStart(@Observes StartupEvent ev) throws IOException {
        Path file = Path.of(keyFile.orElse(System.getProperty("user.home") + "/.vlltr/registry-admin.key"))
                .toAbsolutePath();
        if (configuredKey.isPresent() && !configuredKey.get().isBlank()) {
            String key = configuredKey.get().strip();
            if (key.length() < MIN_CONFIGURED_LENGTH || key.length() > 200) {
                throw new IllegalStateException("VLLTR_REGISTRY_BOOTSTRAP_API_KEY (vlltr.registry.bootstrap-api-key)"
                        + " must be 16 to 200 characters long; got " + key.length());
            }
            keys.putBootstrap("bootstrap-admin", key);
            LOG.info("admin API key: the one given in VLLTR_REGISTRY_BOOTSTRAP_API_KEY (key name 'bootstrap-admin')");
            return;
        }
        if (keys.countActive() > 0) {
            LOG.infof("admin API key: kept from an earlier start%s", Files.exists(file)
                    ? "; the generated one is in " + file : " (set VLLTR_REGISTRY_BOOTSTRAP_API_KEY to set a new one)");
            return;
        }
        String key = KeyHash.newKey();
        Files.createDirectories(file.getParent());
        Files.writeString(file, key + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system
        }
        keys.putBootstrap("bootstrap-admin", key);
        LOG.infof("admin API key: generated, written to %s (readable by you only)", file);
    }
}
