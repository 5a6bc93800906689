package dev.vlltr.stage.textcrawl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JDK HttpServer on 127.0.0.1 (ephemeral port) answering MediaWiki-API-shaped fixtures per title, with scripted
 * failures: 429 + Retry-After, 5xx, malformed JSON, API errors. Every request is recorded.
 */
final class FakeMediaWikiServer implements AutoCloseable {

    /** One scripted answer. */
    record Reply(int status, String body, Map<String, String> headers) {
        static Reply ok(String fixture) {
            return new Reply(200, fixture(fixture), Map.of("Content-Type", "application/json; charset=utf-8"));
        }

        static Reply status(int status, String body, Map<String, String> headers) {
            return new Reply(status, body, headers);
        }

        /** Closes the connection without an answer (a dropped connection). */
        static Reply drop() {
            return new Reply(-1, "", Map.of());
        }
    }

    /** A recorded request. */
    record Request(String path, Map<String, String> params, String userAgent, long nanoTime) {}

    private final HttpServer server;
    private final Map<String, List<Reply>> script = new ConcurrentHashMap<>();
    private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    FakeMediaWikiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/w/api.php", this::handle);
        server.createContext("/old/api.php", ex -> {
            ex.getResponseHeaders().add("Location", "/w/api.php?" + ex.getRequestURI().getRawQuery());
            ex.sendResponseHeaders(301, -1);
            ex.close();
        });
        server.start();
    }

    /** The replies for a title, in order; the last one repeats. */
    FakeMediaWikiServer on(String title, Reply... replies) {
        script.put(title, List.of(replies));
        return this;
    }

    URI apiUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/w/api.php");
    }

    URI movedApiUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/old/api.php");
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    int attempts(String title) {
        return attempts.getOrDefault(title, 0);
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> params = query(ex.getRequestURI().getRawQuery());
        requests.add(new Request(ex.getRequestURI().getPath(), params, ex.getRequestHeaders().getFirst("User-Agent"),
                System.nanoTime()));
        String title = params.getOrDefault("titles", "");
        int n = attempts.merge(title, 1, Integer::sum);
        List<Reply> replies = script.get(title);
        Reply reply = replies == null ? Reply.ok("missing.json") : replies.get(Math.min(n, replies.size()) - 1);
        if (reply.status() < 0) {
            ex.getRequestBody().close();
            ex.close();
            return;
        }
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null) {
            return m;
        }
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    static String fixture(String name) {
        try (InputStream in = FakeMediaWikiServer.class.getResourceAsStream("/mediawiki/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture mediawiki/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> headers(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
