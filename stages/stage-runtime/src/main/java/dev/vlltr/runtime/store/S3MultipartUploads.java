package dev.vlltr.runtime.store;

import io.minio.Signer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Lists and aborts incomplete multipart uploads with plain signed S3 requests. The MinIO SDK cannot do it against a
 * MinIO server: SDK 9.0.4 requires a {@code StorageClass} in each listed upload and MinIO sends it empty (the parse
 * fails), and MinIO ignores a key prefix on this call (only an exact key or the whole bucket), so the bucket's uploads
 * are listed and filtered here.
 */
final class S3MultipartUploads implements AutoCloseable {

    /** One incomplete upload. */
    record Upload(String key, String uploadId, String initiated) {}

    private static final String EMPTY_SHA256 = Sha256.of(new byte[0]);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final int MAX_PAGES = 100;

    private final S3Config config;
    private final OkHttpClient http;
    private final HttpUrl endpoint;

    S3MultipartUploads(S3Config config, OkHttpClient http) {
        this.config = config;
        this.http = http;
        this.endpoint = HttpUrl.get(config.endpoint());
    }

    /** The incomplete uploads of {@code bucket} whose key starts with {@code keyPrefix} (bounded: 100 pages). */
    List<Upload> list(String bucket, String keyPrefix) throws Exception {
        List<Upload> out = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            HttpUrl.Builder url = bucketUrl(bucket).addQueryParameter("uploads", "");
            if (keyMarker != null) {
                url.addQueryParameter("key-marker", keyMarker);
                url.addQueryParameter("upload-id-marker", uploadIdMarker);
            }
            Document doc = parse(send("GET", url.build()));
            NodeList uploads = doc.getElementsByTagName("Upload");
            for (int i = 0; i < uploads.getLength(); i++) {
                Element u = (Element) uploads.item(i);
                String key = text(u, "Key");
                if (key.startsWith(keyPrefix)) {
                    out.add(new Upload(key, text(u, "UploadId"), text(u, "Initiated")));
                }
            }
            if (!"true".equals(text(doc.getDocumentElement(), "IsTruncated"))) {
                break;
            }
            keyMarker = text(doc.getDocumentElement(), "NextKeyMarker");
            uploadIdMarker = text(doc.getDocumentElement(), "NextUploadIdMarker");
        }
        return out;
    }

    void abort(String bucket, Upload upload) throws Exception {
        HttpUrl.Builder url = bucketUrl(bucket);
        for (String segment : upload.key().split("/", -1)) {
            url.addEncodedPathSegment(encode(segment));
        }
        send("DELETE", url.addQueryParameter("uploadId", upload.uploadId()).build());
    }

    private HttpUrl.Builder bucketUrl(String bucket) {
        return endpoint.newBuilder().encodedPath("/").addEncodedPathSegment(encode(bucket));
    }

    /** Sends a body-less request signed with SigV4, the way the SDK signs its own; returns the response body. */
    private byte[] send(String method, HttpUrl url) throws Exception {
        String host = url.host() + (url.port() == HttpUrl.defaultPort(url.scheme()) ? "" : ":" + url.port());
        Request unsigned = new Request.Builder().url(url).method(method, null)
                .header("Host", host)
                .header("x-amz-date", ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE))
                .header("x-amz-content-sha256", EMPTY_SHA256)
                .build();
        Request signed = Signer.signV4S3(unsigned, config.region(), config.accessKey(), config.secretKey(),
                EMPTY_SHA256);
        try (Response r = http.newCall(signed).execute()) {
            byte[] body = r.body() == null ? new byte[0] : r.body().bytes();
            if (!r.isSuccessful()) {
                throw new IOException("S3 endpoint " + config.endpoint() + ": " + method + " " + url.encodedPath()
                        + " answered HTTP " + r.code() + ": " + new String(body, StandardCharsets.UTF_8).strip());
            }
            return body;
        }
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);   // no entities, no XXE
        DocumentBuilder b = f.newDocumentBuilder();
        return b.parse(new ByteArrayInputStream(xml));
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private static String text(Element parent, String tag) {
        NodeList n = parent.getElementsByTagName(tag);
        return n.getLength() == 0 ? "" : n.item(0).getTextContent();
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters, as SigV4 canonical URIs need. */
    static String encode(String segment) {
        StringBuilder sb = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return sb.toString();
    }
}
