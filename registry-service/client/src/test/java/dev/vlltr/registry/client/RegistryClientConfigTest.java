package dev.vlltr.registry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration errors are caught before any call, with messages naming the setting. */
class RegistryClientConfigTest {

    @Test
    void noUrlMeansNoRegistry() {
        assertTrue(RegistryClient.fromEnvironment(Map.of()).isEmpty());
        assertTrue(RegistryClient.fromEnvironment(Map.of("VLLTR_REGISTRY_URL", " ")).isEmpty());
    }

    @Test
    void urlWithoutKeyOrBadUrlIsAClearError() {
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class,
                () -> RegistryClient.fromEnvironment(Map.of("VLLTR_REGISTRY_URL", "http://127.0.0.1:8085")));
        assertTrue(noKey.getMessage().contains("VLLTR_REGISTRY_API_KEY"), noKey.getMessage());
        IllegalArgumentException badUrl = assertThrows(IllegalArgumentException.class,
                () -> RegistryClient.fromEnvironment(Map.of("VLLTR_REGISTRY_URL", "127.0.0.1:8085",
                        "VLLTR_REGISTRY_API_KEY", "k")));
        assertTrue(badUrl.getMessage().contains("VLLTR_REGISTRY_URL"), badUrl.getMessage());
        assertEquals(true, RegistryClient.fromEnvironment(Map.of("VLLTR_REGISTRY_URL", "http://127.0.0.1:8085",
                "VLLTR_REGISTRY_API_KEY", "k")).isPresent());
    }

    @Test
    void createNeedsUrlAndKey() {
        assertThrows(NullPointerException.class, () -> RegistryClient.create(null, "k"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RegistryClient.create(URI.create("http://127.0.0.1:1"), " "));
        assertTrue(e.getMessage().contains("apiKey"), e.getMessage());
    }

    @Test
    void unreachableRegistryNamesItsAddress() {
        RegistryClient c = RegistryClient.create(URI.create("http://127.0.0.1:1"), "k");
        Exception e = assertThrows(java.io.UncheckedIOException.class, () -> c.getModel("m"));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }
}
