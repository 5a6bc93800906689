package dev.vlltr.runtime.store;

import dev.vlltr.runtime.cli.BadInputException;
import io.minio.BucketExistsArgs;
import io.minio.Checksum;
import io.minio.CopyObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.SourceObject;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Artifacts in an S3 bucket ({@code s3://bucket/key}) through the MinIO Java SDK.
 *
 * <p>A put computes the SHA-256 locally, uploads (multipart above the part size) with a CRC32C checksum that the
 * server verifies on receipt (over plain HTTP the SigV4-signed payload SHA-256 of every request is verified too),
 * records the SHA-256 as user metadata {@code x-amz-meta-sha256}, then checks size and digest with a HEAD (and, with
 * {@link S3Config.Verify#READ_BACK}, by re-reading and re-hashing the object). The SDK's SHA-256 checksum mode is
 * not used: MinIO SDK 9.0.4 refuses it for single-part uploads. An S3 object becomes visible
 * only when its single PUT or its multipart completion succeeds, so an interrupted upload leaves nothing visible; an
 * object that fails verification is removed. Transient failures (connection errors, 5xx, SlowDown) are retried with
 * exponential backoff.
 */
public final class S3ArtifactStore implements ArtifactStore {

    private static final Logger LOG = LoggerFactory.getLogger(S3ArtifactStore.class);
    static final String DIGEST_KEY = "sha256";
    private static final Set<String> TRANSIENT_CODES =
            Set.of("InternalError", "SlowDown", "ServiceUnavailable", "RequestTimeout", "XMinioServerNotInitialized");
    /** Error codes that mean "these credentials may not do this": no retry helps, the configuration must change. */
    private static final Set<String> ACCESS_CODES = Set.of("AccessDenied", "InvalidAccessKeyId",
            "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken", "AllAccessDisabled", "AccountProblem",
            "InvalidSecurity", "XMinioAccessKeyDisabled");

    private final S3Config config;
    private final MinioClient client;
    private final S3MultipartUploads multipart;

    public S3ArtifactStore(S3Config config) {
        this.config = config;
        this.client = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
        // retries are ours (they re-open the source); the SDK must not multiply them
        client.setRetry(Set.of(), 0L, 0);
        client.setTimeout(10_000, 600_000, 600_000);
        this.multipart = new S3MultipartUploads(config, new okhttp3.OkHttpClient.Builder()
                .connectTimeout(java.time.Duration.ofSeconds(10)).readTimeout(java.time.Duration.ofSeconds(60))
                .retryOnConnectionFailure(false).build());
    }

    public S3Config config() {
        return config;
    }

    @Override
    public ArtifactInfo put(Path source, URI target) throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new ArtifactNotFoundException(source.toUri());
        }
        String sha = Sha256.of(source);
        long size = Files.size(source);
        return upload(target, sha, size, () -> Files.newInputStream(source));
    }

    @Override
    public ArtifactInfo put(byte[] data, URI target) throws IOException {
        return upload(target, Sha256.of(data), data.length, () -> new ByteArrayInputStream(data));
    }

    @Override
    public Optional<ArtifactInfo> putIfAbsent(byte[] data, URI target) throws IOException {
        // Create-only through the S3 conditional write (If-None-Match: *); servers that ignore the header fall back
        // to the HEAD check just before, which leaves a benign race between two writers of the same key.
        if (stat(target).isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(upload(target, Sha256.of(data), data.length, () -> new ByteArrayInputStream(data),
                    Map.of("If-None-Match", "*")));
        } catch (IOException e) {
            if (errorCode(e).equals("PreconditionFailed")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private interface StreamSource {
        InputStream open() throws IOException;
    }

    private ArtifactInfo upload(URI target, String sha, long size, StreamSource source) throws IOException {
        return upload(target, sha, size, source, Map.of());
    }

    private ArtifactInfo upload(URI target, String sha, long size, StreamSource source, Map<String, String> headers)
            throws IOException {
        Key key = key(target);
        retry("upload to " + target, () -> {
            try (InputStream in = source.open()) {
                PutObjectArgs.Builder b = PutObjectArgs.builder()
                        .bucket(key.bucket())
                        .object(key.object())
                        .stream(in, size, config.partSize())
                        .userMetadata(Map.of(DIGEST_KEY, sha))
                        .checksum(Checksum.Algorithm.CRC32C)
                        .contentType("application/octet-stream");
                if (!headers.isEmpty()) {
                    b.headers(headers);
                }
                client.putObject(b.build());
            }
            return null;
        }, target);
        try {
            verify(target, sha, size);
        } catch (IOException | RuntimeException e) {
            LOG.error("removing {} after failed verification: {}", target, e.getMessage());
            delete(target);
            throw e;
        }
        LOG.debug("published {} ({} bytes, sha256 {})", target, size, sha);
        return new ArtifactInfo(target, sha, size);
    }

    private void verify(URI target, String sha, long size) throws IOException {
        ArtifactInfo stat = stat(target).orElseThrow(() -> new IOException("object vanished after upload: " + target));
        if (stat.size() != size) {
            throw new IOException("size mismatch for " + target + ": uploaded " + size + " bytes, server has "
                    + stat.size());
        }
        if (stat.sha256() != null && !stat.sha256().equals(sha)) {
            throw new WriteVerificationException(target, sha, stat.sha256());
        }
        if (config.verify() == S3Config.Verify.READ_BACK) {
            String readBack;
            try (InputStream in = open(target)) {
                readBack = Sha256.of(in);
            }
            if (!readBack.equals(sha)) {
                throw new WriteVerificationException(target, sha, readBack);
            }
        }
    }

    @Override
    public InputStream open(URI source) throws IOException {
        Key key = key(source);
        return retry("read " + source,
                () -> client.getObject(GetObjectArgs.builder().bucket(key.bucket()).object(key.object()).build()),
                source);
    }

    @Override
    public ArtifactInfo download(URI source, Path target, String expectedSha256) throws IOException {
        ArtifactInfo info = stat(source).orElseThrow(() -> new ArtifactNotFoundException(source));
        if (expectedSha256 != null && info.sha256() != null && !expectedSha256.equals(info.sha256())) {
            throw new ChecksumMismatchException(source, expectedSha256, info.sha256());
        }
        String expected = expectedSha256 != null ? expectedSha256 : info.sha256();
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            String actual = retry("download " + source, () -> {
                try (InputStream in = open(source);
                        OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE,
                                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                    return Sha256.copy(in, out);
                }
            });
            if (expected != null && !expected.equals(actual)) {
                throw new ChecksumMismatchException(source, expected, actual);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new ArtifactInfo(source, actual, Files.size(target));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Optional<ArtifactInfo> stat(URI source) throws IOException {
        Key key = key(source);
        try {
            StatObjectResponse st = retry("stat " + source,
                    () -> client.statObject(StatObjectArgs.builder().bucket(key.bucket()).object(key.object()).build()),
                    source);
            String sha = st.userMetadata() == null ? null : st.userMetadata().getFirst(DIGEST_KEY);
            return Optional.of(new ArtifactInfo(source, Sha256.isDigest(sha) ? sha : null, st.size()));
        } catch (ArtifactNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<ArtifactInfo> list(URI prefix) throws IOException {
        Key key = key(prefix);
        List<ArtifactInfo> out = new ArrayList<>();
        retry("list " + prefix, () -> {
            out.clear();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder()
                    .bucket(key.bucket()).prefix(key.object()).recursive(true).build())) {
                Item it = r.get();
                if (!it.isDir()) {
                    out.add(new ArtifactInfo(URI.create("s3://" + key.bucket() + "/" + it.objectName()), null,
                            it.size()));
                }
            }
            return null;
        }, prefix);
        out.sort(Comparator.comparing(a -> a.uri().toString()));
        return out;
    }

    @Override
    public ArtifactInfo copy(URI source, URI target) throws IOException {
        ArtifactInfo src = stat(source).orElseThrow(() -> new ArtifactNotFoundException(source));
        Key from = key(source);
        Key to = key(target);
        retry("copy " + source + " to " + target, () -> client.copyObject(CopyObjectArgs.builder()
                .bucket(to.bucket()).object(to.object())
                .source(SourceObject.builder().bucket(from.bucket()).object(from.object()).build())
                .build()), source);
        String sha = src.sha256();
        if (sha == null) {
            try (InputStream in = open(source)) {
                sha = Sha256.of(in);
            }
        }
        verify(target, sha, src.size());
        return new ArtifactInfo(target, sha, src.size());
    }

    @Override
    public void delete(URI target) throws IOException {
        Key key = key(target);
        retry("delete " + target, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(key.bucket()).object(key.object()).build());
            return null;
        }, target);
    }

    /**
     * Aborts the multipart uploads under {@code prefix} that killed executions left incomplete: invisible as objects,
     * but their parts fill the disk ({@link S3MultipartUploads}).
     */
    @Override
    public int removeIncomplete(URI prefix) throws IOException {
        Key key = key(prefix);
        List<S3MultipartUploads.Upload> uploads = retry("list incomplete uploads under " + prefix,
                () -> multipart.list(key.bucket(), key.object()), prefix);
        for (S3MultipartUploads.Upload u : uploads) {
            URI object = URI.create("s3://" + key.bucket() + "/" + u.key());
            retry("abort the incomplete upload of " + object, () -> {
                multipart.abort(key.bucket(), u);
                return null;
            }, object);
            LOG.info("aborted the incomplete upload {} of {} (started {})", u.uploadId(), object, u.initiated());
        }
        return uploads.size();
    }

    /** True when the bucket exists (used for clear configuration errors and by the bucket-init tooling). */
    public boolean bucketExists(String bucket) throws IOException {
        return retry("check bucket " + bucket,
                () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()), null);
    }

    @Override
    public void close() throws IOException {
        try {
            multipart.close();
            client.close();
        } catch (Exception e) {
            throw new IOException("closing the S3 client: " + e.getMessage(), e);
        }
    }

    // ---- helpers

    record Key(String bucket, String object) {}

    static Key key(URI uri) {
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new BadInputException("not an s3://bucket/key URI: " + uri);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        return new Key(uri.getHost(), path.startsWith("/") ? path.substring(1) : path);
    }

    private <T> T retry(String what, Retry.Op<T> op) throws IOException {
        return retry(what, op, null);
    }

    /**
     * Runs {@code op} with retries and turns what is left of a failure into the exit-code contract: a missing bucket,
     * refused credentials or an unknown host are configuration errors (exit 2), a missing key is not-found, and a
     * transient failure that outlived every retry becomes {@link ArtifactStoreUnavailableException} (exit 1). Each
     * message is one line naming the endpoint, the object and the cause; the stack trace goes to the debug log.
     */
    private <T> T retry(String what, Retry.Op<T> op, URI uri) throws IOException {
        try {
            return Retry.call(what, config.attempts(), config.firstBackoff(), S3ArtifactStore::isTransient, op);
        } catch (BadInputException | ArtifactNotFoundException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // the SDK reports some network failures unchecked (an IllegalStateException around the cause)
            String code = errorCode(e);
            if (code.equals("NoSuchBucket")) {
                throw new BadInputException("S3 bucket '" + (uri == null ? "?" : key(uri).bucket()) + "' does not exist at "
                        + config.endpoint() + " (while trying to " + what + "); create it first", e);
            }
            if (uri != null && (code.equals("NoSuchKey") || code.equals("NoSuchObject"))) {
                throw new ArtifactNotFoundException(uri);
            }
            if (ACCESS_CODES.contains(code)) {
                throw new ArtifactStoreAccessException("S3 endpoint " + config.endpoint() + " refused to " + what + ": "
                        + code + " (" + errorMessage(e) + "); check VLLTR_S3_ACCESS_KEY, VLLTR_S3_SECRET_KEY and the"
                        + " bucket policy", e);
            }
            if (causedBy(e, java.net.UnknownHostException.class)) {
                throw new ArtifactStoreAccessException("S3 endpoint " + config.endpoint() + " is unknown (no such host)"
                        + " while trying to " + what + "; check VLLTR_S3_ENDPOINT", e);
            }
            if (isTransient(e)) {
                throw new ArtifactStoreUnavailableException("S3 endpoint " + config.endpoint() + " did not answer ("
                        + what                        + ") after " + config.attempts() + " attempts: " + oneLine(e), e);
            }
            if (!code.isEmpty()) {
                throw new IOException("S3 endpoint " + config.endpoint() + " failed to " + what + ": " + code + " ("
                        + errorMessage(e) + ")", e);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw (IOException) e;
        }
    }

    private static String errorMessage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException ere && ere.errorResponse() != null) {
                return String.valueOf(ere.errorResponse().message());
            }
        }
        return oneLine(e);
    }

    /** The innermost cause's class and message: what actually went wrong, without the wrapping layers. */
    private static String oneLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? "" : ": " + root.getMessage().replaceAll("\\s+", " ");
        return root.getClass().getSimpleName() + msg;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static String errorCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException ere && ere.errorResponse() != null) {
                String code = ere.errorResponse().code();
                return code == null ? "" : code;
            }
        }
        return "";
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException ere) {
                return ere.errorResponse() != null && TRANSIENT_CODES.contains(ere.errorResponse().code());
            }
            if (t instanceof ServerException se) {
                return se.statusCode() >= 500 || se.statusCode() == 429;
            }
            if (t instanceof ConnectException || t instanceof SocketException || t instanceof InterruptedIOException
                    || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }
}
