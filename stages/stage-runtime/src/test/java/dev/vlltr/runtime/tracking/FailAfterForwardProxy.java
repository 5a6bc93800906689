package dev.vlltr.runtime.tracking;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection in front of a real MLflow server: forwards every request, but answers the first {@code failures}
 * requests whose path ends with {@code pathSuffix} with HTTP 503 <em>after</em> the server carried them out — the
 * lost-response case in which the MLflow Java client's retry creates a duplicate.
 */
final class FailAfterForwardProxy implements AutoCloseable {
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String target;
    private final String pathSuffix;
    private final AtomicInteger failuresLeft;
    private final AtomicInteger injected = new AtomicInteger();

    FailAfterForwardProxy(String target, String pathSuffix, int failures) throws IOException {
        this.target = target;
        this.pathSuffix = pathSuffix;
        this.failuresLeft = new AtomicInteger(failures);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many failures were injected so far. */
    int injected() {
        return injected.get();
    }

    /** Arms {@code n} more failures. */
    void failNext(int n) {
        failuresLeft.set(n);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder fwd = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String contentType = ex.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                fwd.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> r = http.send(fwd.build(), HttpResponse.BodyHandlers.ofByteArray());
            boolean fail = ex.getRequestURI().getPath().endsWith(pathSuffix) && failuresLeft.getAndDecrement() > 0;
            byte[] out = fail ? "{\"error_code\": \"TEMPORARILY_UNAVAILABLE\"}".getBytes() : r.body();
            if (fail) {
                injected.incrementAndGet();
            }
            ex.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type")
                    .orElse("application/json"));
            ex.sendResponseHeaders(fail ? 503 : r.statusCode(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
