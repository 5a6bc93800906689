package dev.vlltr.registry;

import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;

/** Says where the API, Swagger UI and health checks answer, once the HTTP server listens (an asynchronous event). */
@ApplicationScoped
public class StartupBanner {
    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    void onListening(@ObservesAsync HttpServerStart start) {
        if (start.options().getPort() <= 0) { // a random port (tests): Quarkus' "Listening on" line names it
            LOG.info("registry: API under /api/v1, Swagger UI /q/swagger-ui, on the address in the 'Listening on' line");
            return;
        }
        String base = "http://" + start.options().getHost() + ":" + start.options().getPort();
        LOG.infof("registry: API %s/api/v1 (X-API-Key header), Swagger UI %s/q/swagger-ui, readiness %s/q/health/ready",
                base, base, base);
    }
}
