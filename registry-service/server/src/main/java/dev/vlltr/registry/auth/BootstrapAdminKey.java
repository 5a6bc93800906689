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
 * Makes sure an admin key exists: {@code registry.bootstrap-admin-key} if configured (e.g. from a secret);
 * otherwise, when the database has no active key, a new random key is written to
 * {@code registry.admin-key-file} (mode 600). The key never goes to the log, only the file's path.
 */
@ApplicationScoped
public class BootstrapAdminKey {
    private static final Logger LOG = Logger.getLogger(BootstrapAdminKey.class);

    @Inject
    ApiKeyStore keys;

    @ConfigProperty(name = "registry.bootstrap-admin-key")
    Optional<String> configuredKey;

    @ConfigProperty(name = "registry.admin-key-file")
    Optional<String> keyFile;

    void onStart(@Observes StartupEvent ev) throws IOException {
        if (configuredKey.isPresent() && !configuredKey.get().isBlank()) {
            keys.ensure("bootstrap-admin", Role.ADMIN, configuredKey.get(), "bootstrap");
            return;
        }
        if (keys.countActive() > 0) {
            return;
        }
        String key = KeyHash.newKey();
        Path file = Path.of(keyFile.orElse(System.getProperty("user.home") + "/.vlltr/registry-admin.key"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, key + "\n");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system
        }
        keys.ensure("bootstrap-admin", Role.ADMIN, key, "bootstrap");
        LOG.infof("created the first admin API key; it is in %s", file.toAbsolutePath());
    }
}
